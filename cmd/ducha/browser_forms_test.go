package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ducha"
	"ducha/internal/storetest"
)

// TestBrowserForms drives the forms in Chromium: a register form with
// three mistakes names all three beside their fields and keeps what was
// typed; the unit picker filters by pinyin initials and traditional
// characters; dates are shown and typed as 2026年12月7日; a liaison types a
// handling text with 罚款5万元, sees the measure proposed, accepts it and
// submits; an evidence photo is previewed before upload.
func TestBrowserForms(t *testing.T) {
	b := newBrowser(t)

	t.Run("RegisterWithThreeErrors", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		tb := b.newTab(t, a.HTTP.URL())
		tb.login("coord")
		if st := tb.open("/problems/new"); st != 200 {
			t.Fatalf("register form: %d", st)
		}
		// The date field is text in 年月日, whatever the browser's locale.
		typ := run(tb, "deadline type", chromedp.Evaluate[string](`document.querySelector("input[name=deadline]").type`))
		ph := run(tb, "deadline placeholder", chromedp.Evaluate[string](`document.querySelector("input[name=deadline]").placeholder`))
		if typ != "text" || ph != "2026年12月7日" {
			t.Errorf("deadline input: type %q placeholder %q", typ, ph)
		}

		// The unit picker filters by initials (红堡镇 hbz) and by the
		// traditional form (縣 for 县).
		picker := `#f-coop_units `
		tb.typeInto(picker+`input.picker-filter`, "hbz")
		if got := visibleUnits(tb, picker); !slices.Equal(got, []string{"红堡镇"}) {
			t.Errorf("filter hbz shows %v, want [红堡镇]", got)
		}
		tb.clear(picker + `input.picker-filter`)
		tb.typeInto(picker+`input.picker-filter`, "縣生態")
		if got := visibleUnits(tb, picker); !slices.Equal(got, []string{"县生态环境局"}) {
			t.Errorf("filter 縣生態 shows %v, want [县生态环境局]", got)
		}
		tb.clear(picker + `input.picker-filter`)
		if got := visibleUnits(tb, picker); len(got) != 3 {
			t.Errorf("empty filter shows %v, want all three units", got)
		}
		tb.click(picker + `input[type=checkbox][value="` + strconv.FormatInt(a.Fixture.Units["红堡镇"].ID, 10) + `"]`)

		// Three mistakes: no description, a wrong credit code, an impossible date.
		tb.typeInto(`input[name=subject]`, "宏达砖厂")
		tb.typeInto(`input[name=subject_credit_code]`, "123456")
		tb.typeInto(`input[name=person]`, "张三")
		tb.typeInto(`input[name=deadline]`, "2026年2月30日")
		if st := tb.follow(`form[action="/problems/new"] button[type=submit]`); st != 422 {
			t.Fatalf("three errors: status %d\n%s", st, tb.describe())
		}
		msgs := tb.texts(`.field-error`)
		if len(msgs) != 3 {
			t.Fatalf("%d messages %v, want 3", len(msgs), msgs)
		}
		for _, f := range []struct{ field, msg string }{
			{"description", "问题描述不能为空"}, {"subject_credit_code", "统一社会信用代码"}, {"deadline", "“2026年2月30日”不是有效日期"},
		} {
			js := `(() => { const c = document.getElementById("f-` + f.field + `"); if (!c) return "no control";
				const m = document.getElementById(c.getAttribute("aria-describedby") || "-");
				return c.getAttribute("aria-invalid") + "|" + (m ? m.innerText : "no message") + "|" +
					(m && c.closest("label") === m.closest("label") ? "beside" : "apart"); })()`
			got := run(tb, "message of "+f.field, chromedp.Evaluate[string](js))
			if !strings.HasPrefix(got, "true|") || !strings.Contains(got, f.msg) || !strings.HasSuffix(got, "|beside") {
				t.Errorf("%s: %q, want invalid, %q, beside the field", f.field, got, f.msg)
			}
		}
		if links := tb.texts(`.error-summary a`); len(links) != 3 {
			t.Errorf("summary links %v, want 3", links)
		}
		for sel, want := range map[string]string{
			`input[name=subject]`: "宏达砖厂", `input[name=subject_credit_code]`: "123456", `input[name=person]`: "张三",
			`input[name=deadline]`: "2026年2月30日",
		} {
			if got := tb.value(sel); got != want {
				t.Errorf("%s kept as %q, want %q", sel, got, want)
			}
		}
		checked := run(tb, "picker kept", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#f-coop_units input:checked"), e => e.parentElement.innerText.trim())`))
		if !slices.Equal(checked, []string{"红堡镇"}) {
			t.Errorf("chosen units after the refusal %v, want [红堡镇]", checked)
		}

		// Fixed, with a whole plan and the date typed 2027/1/15: shown as 2027年1月15日.
		tb.typeInto(`textarea[name=description]`, "宏达砖厂无组织排放")
		tb.clear(`input[name=subject_credit_code]`)
		tb.choose(`select[name=lead_unit]`, "永清镇")
		tb.typeInto(`textarea[name=measures]`, "安装喷淋设施")
		tb.clear(`input[name=deadline]`)
		tb.typeInto(`input[name=deadline]`, "2027/1/15")
		if st := tb.follow(`form[action="/problems/new"] button[type=submit]`); st != 200 {
			t.Fatalf("register: status %d\n%s", st, tb.describe())
		}
		if got := field(tb, "整改时限"); got != "2027年1月15日" {
			t.Errorf("deadline shown as %q, want 2027年1月15日", got)
		}
		if got := field(tb, "配合单位"); got != "红堡镇" {
			t.Errorf("cooperating units %q, want 红堡镇", got)
		}
		// The plan form shows the date the same way.
		if got := tb.value(`#action-plan input[name=deadline]`); got != "2027年1月15日" {
			t.Errorf("plan form deadline %q", got)
		}
	})

	t.Run("SubmitWithProposedFine", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		coord := storetest.As(a.Fixture.Users["coord"])
		no := "D3SX202612010001"
		if _, err := a.DB.ImportBatch(coord, 1, ducha.Today(time.Now()), "b1.xlsx", []ducha.BatchRow{{Row: 4,
			Case: &ducha.Case{AcceptanceNo: no, Channel: ducha.ChannelPhone, Area: "永清镇", Text: "群众反映永清镇某汽修厂喷漆废气扰民", Types: []string{"大气"}}}}); err != nil {
			t.Fatalf("import: %v", err)
		}
		c, err := a.DB.FindCaseByAcceptanceNo(coord, no)
		if err != nil {
			t.Fatal(err)
		}
		if c, err = a.DB.ActOnCase(coord, c.ID, ducha.CaseAction{Action: ducha.CaseActAssign, Version: c.Version, Units: []ducha.UnitRef{"永清镇"}}); err != nil {
			t.Fatalf("assign: %v", err)
		}
		if c, err = a.DB.ActOnCase(storetest.As(a.Fixture.Users["liaison_yq"]), c.ID, ducha.CaseAction{Action: ducha.CaseActSign, Version: c.Version}); err != nil {
			t.Fatalf("sign: %v", err)
		}
		tb := b.newTab(t, a.HTTP.URL())
		tb.login("liaison_yq")
		path := "/cases/" + strconv.FormatInt(c.ID, 10)
		if st := tb.open(path); st != 200 {
			t.Fatalf("case: %d", st)
		}
		form := `#action-submit `
		tb.click(form + `summary`)
		tb.typeInto(form+`textarea[name=findings]`, "经现场核查，反映情况属实。")
		tb.click(form + `input[name=verdict][value="属实"]`)
		tb.typeInto(form+`textarea[name=handling]`, "已对该汽修厂立案处罚，罚款5万元，并责令立即整改。")
		// The proposal appears after a pause in typing.
		run(tb, "proposals", chromedp.WaitVisible(chromedp.CSS(form+`.proposals li`)))
		props := tb.texts(form + `.proposals li`)
		i := slices.IndexFunc(props, func(s string) bool { return strings.Contains(s, "立案处罚") })
		if i < 0 || !strings.Contains(props[i], "罚款50000.00元") {
			t.Fatalf("proposals %v, want 立案处罚 with 罚款50000.00元", props)
		}
		if kinds := run(tb, "rows", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#action-submit select[name=m_kind]"), s => s.value).filter(v => v)`)); len(kinds) != 0 {
			t.Errorf("rows filled before accepting: %v", kinds)
		}
		tb.click(form + `.proposals li:nth-child(` + strconv.Itoa(i+1) + `) input.proposal-accept`)
		row := form + `.measure-rows tbody tr:first-child `
		if k, f := tb.value(row+`select[name=m_kind]`), tb.value(row+`input[name=m_fine]`); k != ducha.MeasurePenaltyCase || f != "50000.00" {
			t.Fatalf("accepted row: kind %q fine %q", k, f)
		}
		if tb.value(row+`input[name=m_enterprise]`) == "" {
			tb.typeInto(row+`input[name=m_enterprise]`, "永清镇东关村汽修厂")
		}
		// The rectification order is proposed too; accepting one and not
		// the other is the user's call.
		if st := tb.follow(form + `button[type=submit]:not([name=propose])`); st != 200 {
			t.Fatalf("submit: status %d\n%s", st, tb.describe())
		}
		if f := tb.text("p.flash"); !strings.Contains(f, "已完成") {
			t.Errorf("flash %q\n%s", f, tb.describe())
		}
		got, err := a.DB.FindCaseByAcceptanceNo(coord, no)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != ducha.CaseSubmitted || len(got.Measures) != 1 || got.Measures[0].Kind != ducha.MeasurePenaltyCase ||
			got.Measures[0].FineYuan != 5000000 {
			t.Errorf("submitted case: %s %+v", got.Status, got.Measures)
		}
	})

	t.Run("EvidencePhoto", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		p := a.planned(t, "永清镇砖厂扬尘污染", "永清镇", "永清镇", 30)
		tb := b.newTab(t, a.HTTP.URL())
		tb.login("liaison_yq")
		if st := tb.open("/problems/" + strconv.FormatInt(p.ID, 10)); st != 200 {
			t.Fatalf("problem: %d", st)
		}
		photo := `input[type=file][capture="environment"][accept="image/*"]`
		if n := run(tb, "inputs", chromedp.Evaluate[int](`document.querySelectorAll('input[type=file][name=file]').length`)); n != 2 {
			t.Errorf("%d file inputs, want a camera one and a document one", n)
		}
		img := filepath.Join(t.TempDir(), "现场.png")
		f, err := os.Create(img)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
			t.Fatal(err)
		}
		f.Close()
		run(tb, "choose photo", chromedp.SetUploadFiles(chromedp.CSS(photo), []string{img}))
		run(tb, "preview", chromedp.WaitVisible(chromedp.CSS(`#upload-preview`)))
		if src := run(tb, "preview src", chromedp.Evaluate[string](`document.getElementById("upload-preview").src`)); !strings.HasPrefix(src, "blob:") {
			t.Errorf("preview src %q", src)
		}
		if st := tb.follow(`form[action$="/attachments"] button[type=submit]`); st != 200 {
			t.Fatalf("upload: status %d\n%s", st, tb.describe())
		}
		if names := tb.texts(`ul.attachments a`); !slices.Contains(names, "现场.png") {
			t.Errorf("attachments %v, want 现场.png", names)
		}
	})
}

// visibleUnits lists the units a picker shows now.
func visibleUnits(tb *tab, picker string) []string {
	tb.t.Helper()
	return run(tb, "visible units", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+jsString(picker+`[data-search]`)+`)).filter(e => !e.hidden).map(e => e.innerText.trim())`))
}
