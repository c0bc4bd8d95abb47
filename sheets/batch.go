package sheets

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"ducha"
	"ducha/text"
)

// BatchImporter stores a batch of cases (store.DB does).
type BatchImporter interface {
	ImportCaseBatch(ctx context.Context, in *ducha.BatchImport) (*ducha.BatchResult, error)
}

// ImportCases reads a batch file (xlsx or csv, as the inspection team
// sends it, or as a county kept it with its results) and imports it, all
// or nothing. opts give the batch number and date when the file does not,
// and whether the measures proposed from the handling texts are stored.
func ImportCases(ctx context.Context, store BatchImporter, r io.Reader, filename string, opts CaseFileOptions) (*ducha.BatchResult, error) {
	f, err := ReadCases(r, filename, opts)
	if err != nil {
		return nil, err
	}
	in := &ducha.BatchImport{Number: f.Batch, Date: f.Date, FileName: filename, WindowFrom: f.WindowFrom, WindowTo: f.WindowTo,
		AsKept: f.AsKept, ConfirmMeasures: opts.ConfirmMeasures, Rows: make([]ducha.BatchRow, len(f.Rows))}
	if f.AsKept {
		in.ResultsAsOf = f.AsOf
	}
	for i, cr := range f.Rows {
		c := &ducha.Case{
			AcceptanceNo: cr.AcceptanceNo, Batch: cr.Batch, ForwardedDate: cr.Date, Channel: cr.Channel, Key: cr.Key,
			Text: cr.Text, Area: cr.Area, Types: cr.Types, TypeDetail: cr.TypeDetail, Original: cr.Original,
		}
		row := ducha.BatchRow{Row: cr.Row, Case: c, LinkKind: cr.LinkKind, LinkRefs: cr.LinkRefs, LinkNote: cr.LinkNote}
		if res := cr.Results; res != nil {
			c.Findings, c.Verdict, c.Target, c.Handling, c.Accountability = res.Findings, res.Verdict, res.Target, res.Handling, res.Accountability
			row.Results = &ducha.CaseResults{Status: res.Status, Units: res.Units, Date: res.Date}
			row.Proposals = Proposals(res.Handling)
		}
		in.Rows[i] = row
	}
	return store.ImportCaseBatch(ctx, in)
}

// Proposals are the measures a handling text reports (text.ProposeMeasures),
// shaped as measures to confirm.
func Proposals(handling string) []ducha.ProposedMeasure {
	var out []ducha.ProposedMeasure
	for _, p := range text.ProposeMeasures(handling) {
		out = append(out, ducha.ProposedMeasure{
			Measure: ducha.Measure{Kind: p.Kind, Enterprise: p.Enterprise, Persons: p.Persons, FineYuan: ducha.Money(p.FineFen)},
			Label:   ducha.MeasureLabel(p.Kind), Evidence: p.Evidence,
		})
	}
	return out
}

// resultsOf reads the result columns of a row into c.Results (nil when
// they are all empty). The texts are cleaned; 是否属实 takes the verdicts
// and 是/否 (经查属实 as 属实); 是否办结 takes 已办结 (办结, 已完成, 是),
// 阶段性办结, and 未办结 (正在办理, 办理中, 整改中, 否); 办结时间 is a date.
// A verdict, status or date it cannot read is an error naming the row.
func resultsOf(c *CaseRow, v map[string]string, clean func(string) string) error {
	r := &RowResults{Findings: clean("findings"), Target: clean("target"), Handling: clean("handling"),
		Accountability: clean("accountability")}
	if raw := strings.ReplaceAll(text.Clean(v["verdict"]), " ", ""); raw != "" {
		w := raw
		for _, p := range []string{"经调查", "经核查", "经核实", "经查"} {
			w = strings.TrimPrefix(w, p)
		}
		verdict, ok := ducha.ParseVerdict(w)
		if !ok {
			return caseError(c.Row, "verdict", "“%s”无法识别（应为%s，或是、否）", raw, strings.Join(ducha.Verdicts, "、"))
		}
		r.Verdict = verdict
		if strings.TrimSpace(v["verdict"]) != verdict {
			c.Original["verdict"] = strings.TrimSpace(v["verdict"])
		}
	}
	if raw := strings.ReplaceAll(text.Clean(v["status"]), " ", ""); raw != "" {
		st, ok := caseStatusWords[raw]
		if !ok {
			return caseError(c.Row, "status", "“%s”无法识别（应为已办结、阶段性办结或未办结，也可写是、否、正在办理）", raw)
		}
		r.Status = st
		c.Original["status"] = strings.TrimSpace(v["status"])
	}
	if raw := strings.TrimSpace(v["units"]); raw != "" {
		for _, name := range text.SplitList(raw) {
			r.Units = append(r.Units, strings.ReplaceAll(name, " ", ""))
		}
	}
	if raw := strings.TrimSpace(v["result_date"]); raw != "" {
		d, err := text.ParseDate(raw)
		if err != nil {
			return caseError(c.Row, "result_date", "%s", err.Error())
		}
		r.Date = ducha.DateOf(d)
	}
	if r.kept() || len(r.Units) > 0 {
		c.Results = r
	}
	return nil
}

// caseStatusWords are the 是否办结 values: CaseInvestigating stands for
// 未办结, whatever state the case reached before its answer.
var caseStatusWords = map[string]ducha.CaseStatus{
	"已办结": ducha.CaseClosed, "办结": ducha.CaseClosed, "是": ducha.CaseClosed, "已完成": ducha.CaseClosed,
	"完成": ducha.CaseClosed, "√": ducha.CaseClosed,
	"阶段性办结": ducha.CaseStageClosed, "阶段办结": ducha.CaseStageClosed, "阶段性完成": ducha.CaseStageClosed,
	"未办结": ducha.CaseInvestigating, "正在办理": ducha.CaseInvestigating, "办理中": ducha.CaseInvestigating,
	"否": ducha.CaseInvestigating, "未完成": ducha.CaseInvestigating, "整改中": ducha.CaseInvestigating,
	"正在整改": ducha.CaseInvestigating, "尚未办结": ducha.CaseInvestigating, "未结": ducha.CaseInvestigating,
}

// linkOf reads a row's 重复件 or 补充办理件 mark from its 是否重复件 column
// and its 备注:
//   - the column: empty, 否, 无, -, — say none; 是, √, 重复, 重复件 (or a
//     text with 重复) say 重复件; 补充, 补充件, 补充办理件 (or a text with
//     补充办理) say 补充办理件; an acceptance number alone says 重复件 of
//     it; anything else is an error;
//   - the note: a text with 重复 (与第3批D3SX202505280018重复) or 补充办理 /
//     补充件 marks the row the same way; other notes mark nothing.
//
// refs are the acceptance numbers the mark's texts name, in order, for the
// store to look up (it skips the row's own number and those it does not
// know); note is the mark as written.
func linkOf(dupCell, noteCell string) (kind string, refs []string, note string, err error) {
	dup := strings.ReplaceAll(text.Clean(dupCell), " ", "")
	memo := strings.ReplaceAll(text.Clean(noteCell), " ", "")
	switch {
	case dup == "" || dup == "否" || dup == "无" || dup == "-" || dup == "—" || dup == "/" || strings.EqualFold(dup, "N"):
		dup = ""
	case strings.Contains(dup, "补充"):
		kind = ducha.LinkSupplement
	case strings.Contains(dup, "重复") || dup == "是" || dup == "√" || strings.EqualFold(dup, "Y"):
		kind = ducha.LinkDuplicate
	case len(numberRefs(dup)) > 0:
		kind = ducha.LinkDuplicate
	default:
		return "", nil, "", fmt.Errorf("“%s”无法识别（重复件填“是”或所重复件的受理编号，补充办理件填“补充办理件”，否则留空或填“否”）", strings.TrimSpace(dupCell))
	}
	if kind == "" {
		switch {
		case strings.Contains(memo, "补充办理") || strings.Contains(memo, "补充件"):
			kind = ducha.LinkSupplement
		case strings.Contains(memo, "重复"):
			kind = ducha.LinkDuplicate
		}
	}
	if kind == "" {
		return "", nil, "", nil
	}
	var parts []string
	for _, s := range []string{dup, memo} {
		if s != "" {
			parts = append(parts, s)
			refs = append(refs, numberRefs(s)...)
		}
	}
	return kind, refs, strings.Join(parts, "；"), nil
}

// reNumberRef finds what may be an acceptance number inside a text, in its
// known forms: letters then digits (D3SX202505280018, BCD2022092601), a
// document-style number (访受〔2021〕0517031号), a Han character then
// digits (信20170816134), or four or more digits (2145).
var reNumberRef = regexp.MustCompile(`[A-Za-z]{1,6}[0-9][0-9A-Za-z-]{2,}|\p{Han}{0,3}[〔\[［(（][0-9]{4}[〕\]］)）][0-9]+号?|\p{Han}[0-9]{6,}|[0-9]{4,}`)

// numberRefs lists the candidate numbers of s; for a document-style number
// it lists the match without each of its leading Han characters as well,
// since the words before it (与第3批访受〔2021〕…) are not part of it.
func numberRefs(s string) []string {
	var out []string
	for _, m := range reNumberRef.FindAllString(s, -1) {
		out = append(out, m)
		rs := []rune(m)
		for i := 0; i < len(rs)-1 && i < 3 && unicode.Is(unicode.Han, rs[i]); i++ {
			out = append(out, string(rs[i+1:]))
		}
	}
	return out
}
