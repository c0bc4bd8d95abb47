package sheets

import (
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"ducha"
	"ducha/excel"
	"ducha/text"
)

// CaseSpec are the columns of a case batch (群众信访举报件交办表) and the
// header names the inspection team and the provincial office use for them.
var CaseSpec = excel.Spec{Columns: []excel.Column{
	{Key: "seq", Names: []string{"序号"}},
	{Key: "acceptance_no", Names: []string{"受理编号", "举报编号", "编号", "信访编号", "交办编号"}, Required: true},
	{Key: "text", Names: []string{"交办问题基本情况", "举报内容", "信访内容", "问题描述", "反映问题", "交办问题"}, Required: true},
	{Key: "area", Names: []string{"行政区域", "所在乡镇", "区域", "乡镇", "所属乡镇", "所属乡镇（街道）", "乡镇（街道）", "所在地"}},
	{Key: "district", Names: []string{"所属区县", "区县", "所属县区", "县区", "所在区县", "县（市、区）"}},
	{Key: "types", Names: []string{"污染类型", "问题类型"}},
	{Key: "channel", Names: []string{"举报方式", "来电/来信", "来信/来电", "来电/来信方式", "渠道", "举报渠道", "信访方式"}},
	{Key: "key", Names: []string{"重点关注", "是否重点", "重点", "是否重点关注", "重点件", "是否重点件"}},
	{Key: "batch", Names: []string{"批次"}},
	{Key: "date", Names: []string{"交办日期"}},
	// A table brought in with its results (SPEC section 4).
	{Key: "findings", Names: []string{"调查核实情况", "调查核实结果", "核查情况"}},
	{Key: "verdict", Names: []string{"是否属实", "属实情况"}},
	{Key: "target", Names: []string{"办结目标"}},
	{Key: "handling", Names: []string{"处理和整改情况", "处理整改情况", "处理及整改情况", "整改情况", "处理情况"}},
	{Key: "status", Names: []string{"是否办结", "办结情况", "办理状态", "办结状态"}},
	{Key: "accountability", Names: []string{"责任人被处理情况", "责任追究情况", "问责情况"}},
	{Key: "units", Names: []string{"责任单位", "承办单位", "办理单位"}},
	{Key: "result_date", Names: []string{"办结时间", "办结日期"}},
	// 重复件 and 补充办理件 marks.
	{Key: "duplicate", Names: []string{"是否重复件", "重复件", "是否重复", "重复情况", "是否为重复件"}},
	{Key: "note", Names: []string{"备注"}},
}}

// caseHeaders gives each case column key the header used in messages.
var caseHeaders = func() map[string]string {
	m := map[string]string{}
	for _, c := range CaseSpec.Columns {
		m[c.Key] = c.Names[0]
	}
	return m
}()

// CaseMaxTotalChars bounds the text of a case batch file unless the caller
// sets Limits.MaxTotalChars: a batch is a few hundred complaints (the
// largest seen, 20,000 cases of a provincial office, is about 2 million
// characters), and each character of a case costs far more downstream
// (cleaning, search tokens, history) than one of a ledger.
const CaseMaxTotalChars = 4_000_000

// CaseFileOptions are what the caller knows about a batch file, from the
// CLI's --batch and --date flags. Zero values mean "take it from the file".
type CaseFileOptions struct {
	Batch int
	Date  ducha.Date
	// ConfirmMeasures stores the measures proposed from a results table's
	// handling texts (the CLI's --confirm-measures); without it the
	// import only lists them.
	ConfirmMeasures bool
	// Limits bound the file; zero fields take excel.DefaultLimits.
	Limits excel.Limits
}

// CaseFile is a case batch file as read: the batch it hands over and its
// cases, one per data row.
type CaseFile struct {
	Batch int        // 第三批 → 3
	Date  ducha.Date // 交办日期
	// WindowFrom and WindowTo are the intake window the title states
	// (2017年5月25日12时-5月26日12时), in the county's time zone; nil
	// when it states none.
	WindowFrom, WindowTo *time.Time
	// AsKept is set when rows carry results (findings, verdict, target,
	// handling, status, accountability or 办结时间): a table a county
	// brings in as kept. AsOf is the title's 截至 date, when it has one.
	AsKept  bool
	AsOf    ducha.Date
	Title   []string // the cell texts above the header
	Rows    []CaseRow
	Skipped []int // rows not imported: totals (合计/总计/小计) and rows with nothing but a 序号
}

// CaseRow is one forwarded complaint (交办件) of a batch file.
type CaseRow struct {
	Row          int        // Excel row, or csv line
	AcceptanceNo string     // 受理编号 as written: cleaned, no spaces, without a key mark
	Text         string     // 交办问题基本情况, cleaned
	Area         string     // 行政区域 (else 所属区县), cleaned, no spaces; may be empty (the office fills it in later)
	Types        []string   // canonical pollution types (text.ParseTypes)
	TypeDetail   string     // the specific words: 油烟, 扬尘, 光污染
	Channel      string     // one of ducha.Channels
	Key          bool       // 重点关注: the column, or a * after the number
	Batch        int        // the row's 批次 cell, else the file's
	Date         ducha.Date // the row's 交办日期 cell, else the file's
	// RepeatOf is the earlier row of this file with the same number and
	// text: the import logs this row as a duplicate of that case.
	RepeatOf int
	// LinkKind (ducha.LinkDuplicate or ducha.LinkSupplement) is set when
	// the row's 是否重复件 column or 备注 marks it a 重复件 or 补充办理件;
	// LinkRefs are the acceptance numbers the mark may name, LinkNote the
	// mark as written.
	LinkKind string
	LinkRefs []string
	LinkNote string
	// Results are what a results table says of the case; nil for a plain
	// hand-over.
	Results *RowResults
	// Original holds the cells as written, by column key, where cleaning or
	// mapping changed them (full-width or traditional text, 电话 → 来电).
	Original map[string]string
}

// RowResults are the result columns of one row.
type RowResults struct {
	Findings       string           // 调查核实情况
	Verdict        string           // 是否属实, one of ducha.Verdicts or ""
	Target         string           // 办结目标
	Handling       string           // 处理和整改情况
	Accountability string           // 责任人被处理情况
	Status         ducha.CaseStatus // 是否办结: closed, stage_closed, investigating (未办结) or ""
	Units          []string         // 责任单位/承办单位 names
	Date           ducha.Date       // 办结时间
}

// kept reports whether the results are more than the units: a result a
// county recorded, not an assignment a forwarding table proposes.
func (r *RowResults) kept() bool {
	return r.Findings != "" || r.Verdict != "" || r.Target != "" || r.Handling != "" || r.Accountability != "" ||
		r.Status != "" || r.Date.Valid()
}

func caseError(row int, key, format string, args ...any) error {
	msg := fmt.Sprintf("“%s”列：", caseHeaders[key]) + fmt.Sprintf(format, args...)
	return &ducha.Error{Code: ducha.EINVALID, Row: row, Message: msg, Fields: map[string]string{key: msg}}
}

// ReadCases reads a case batch file (xlsx or csv; SPEC section 4): a title
// row or merged cells may sit above the header, header names vary (see
// CaseSpec), area cells may be merged vertically. The first bad row stops
// the read with its row number and column, so an import is all or nothing.
//
// The batch number and the forwarded date of the file come from opts when
// set, else from the title lines (（第三批）, 第11批, 交办日期：2026年12月8日,
// 交办时间: 2026-12-08, 2026年12月8日交办), else, for the batch only, from
// the file name (cases-batch-05.xlsx, 第5批交办件.csv). A title's intake
// window (第三十二批 2017年5月25日12时-5月26日12时) is the batch's window,
// and its end is the forwarded date when no line names one. A per-row 批次
// or 交办日期 column gives each row its own value; all rows must agree,
// and they must agree with opts or the title when those give one (a value
// guessed from the file name yields to the rows). With neither, the read
// fails naming what is missing.
//
// Each row:
//   - 受理编号 is required and taken as written (full-width folded, spaces
//     removed, letters in the case written): D3SX202505280018,
//     访受〔2021〕0517031号, BCD2022092601, 信20170816134, 2145. A trailing
//     *, ＊ or ★ marks a key case and is not part of the number. The same
//     number again in the file (letters in any case) is the same case: with
//     the same text it is a repeat, logged as a duplicate (RepeatOf); with
//     another text it is an error.
//   - the complaint text is required; the area (行政区域, 所属乡镇, 所在地,
//     else 所属区县) may be empty.
//   - the channel is the 举报方式 column's (see parseChannel); a value it
//     does not know is 其他, with the value kept in Original. When the
//     column is absent or empty it is the number's D (来电) or X (来信),
//     else 其他.
//   - 重点关注: *, ★, 是, √, Y, 重点 are true; empty, 否, -, — are false;
//     anything else is an error.
//   - 是否重复件 and 备注 may mark a 重复件 or 补充办理件 (see linkOf).
//   - result columns (调查核实情况, 是否属实, 办结目标, 处理和整改情况,
//     是否办结, 责任人被处理情况, 责任单位/承办单位, 办结时间) give the row's
//     Results (see resultsOf); a verdict or status the reader does not know
//     is an error.
//
// Rows whose 序号 or 受理编号 cell (or text, when there is no 受理编号)
// begins with 合计, 总计, 小计 or 共计 are totals, and rows with nothing but a 序号 are unused template rows: both
// are skipped and listed in Skipped.
//
// The file is read within opts.Limits.
func ReadCases(r io.Reader, filename string, opts CaseFileOptions) (*CaseFile, error) {
	lim := opts.Limits
	if lim.MaxTotalChars == 0 {
		lim.MaxTotalChars = CaseMaxTotalChars
	}
	t, err := excel.ReadLimited(r, filename, CaseSpec, lim)
	if err != nil {
		return nil, fileError(err, caseKeyOf)
	}
	f := &CaseFile{Title: t.Title}
	batch, err := fileBatch(t.Title, filename, opts.Batch)
	if err != nil {
		return nil, err
	}
	if f.WindowFrom, f.WindowTo, err = fileWindow(t.Title); err != nil {
		return nil, err
	}
	date, err := fileDate(t.Title, opts.Date)
	if err != nil {
		return nil, err
	}
	if f.AsOf, err = fileAsOf(t.Title); err != nil {
		return nil, err
	}
	_, batchCol := t.Columns["batch"]
	_, dateCol := t.Columns["date"]
	if (batch.value == 0 && !batchCol) || (date.value == "" && !dateCol) {
		return nil, missingError(batch.value == 0, date.value == "")
	}

	seen := map[string]int{} // acceptance key → index in f.Rows
	var firstBatch rowValue[int]
	var firstDate rowValue[ducha.Date]
	for _, rec := range t.Records {
		if isCaseSkip(rec.Values) {
			f.Skipped = append(f.Skipped, rec.Row)
			continue
		}
		c, err := caseOf(rec)
		if err != nil {
			return nil, err
		}
		key := ducha.AcceptanceKey(c.AcceptanceNo)
		if i, dup := seen[key]; dup {
			first := f.Rows[i]
			if first.Text != c.Text {
				return nil, caseError(rec.Row, "acceptance_no", "受理编号“%s”与第%d行的“%s”重复，但交办问题基本情况不同：同一编号只能是同一件，请核对",
					c.AcceptanceNo, first.Row, first.AcceptanceNo)
			}
			c.RepeatOf = first.Row
		} else {
			seen[key] = len(f.Rows)
		}
		if c.Results != nil && c.Results.kept() {
			f.AsKept = true
		}
		if c.Batch != 0 {
			if firstBatch.row == 0 {
				firstBatch = rowValue[int]{c.Batch, rec.Row}
			} else if c.Batch != firstBatch.value {
				return nil, caseError(rec.Row, "batch", "第%d批与第%d行的第%d批不一致：一个文件只能是一个批次", c.Batch, firstBatch.row, firstBatch.value)
			}
		}
		if c.Date != "" {
			if firstDate.row == 0 {
				firstDate = rowValue[ducha.Date]{c.Date, rec.Row}
			} else if c.Date != firstDate.value {
				return nil, caseError(rec.Row, "date", "%s与第%d行的%s不一致：一个批次只有一个交办日期", c.Date, firstDate.row, firstDate.value)
			}
		}
		f.Rows = append(f.Rows, *c)
	}
	if len(f.Rows) == 0 {
		return nil, ducha.Errorf(ducha.EINVALID, "文件中没有交办件")
	}

	if firstBatch.row != 0 {
		if batch.value != 0 && batch.firm && batch.value != firstBatch.value {
			return nil, caseError(firstBatch.row, "batch", "第%d批与%s的第%d批不一致", firstBatch.value, batch.source, batch.value)
		}
		batch.value = firstBatch.value
	}
	if firstDate.row != 0 {
		if date.value != "" && date.value != firstDate.value {
			return nil, caseError(firstDate.row, "date", "%s与%s的%s不一致", firstDate.value, date.source, date.value)
		}
		date.value = firstDate.value
	}
	if batch.value == 0 || date.value == "" {
		return nil, missingError(batch.value == 0, date.value == "")
	}
	f.Batch, f.Date = batch.value, date.value
	for i := range f.Rows {
		if f.Rows[i].Batch == 0 {
			f.Rows[i].Batch = f.Batch
		}
		if f.Rows[i].Date == "" {
			f.Rows[i].Date = f.Date
		}
	}
	return f, nil
}

// rowValue is a per-row value and the row it was first seen on.
type rowValue[T any] struct {
	value T
	row   int
}

// caseKeyOf returns the column key of a header name, or "".
func caseKeyOf(header string) string {
	for _, c := range CaseSpec.Columns {
		for _, n := range c.Names {
			if n == header {
				return c.Key
			}
		}
	}
	return ""
}

// missingError says which of the batch number and the date the file lacks.
func missingError(batch, date bool) error {
	var what, flags []string
	fields := map[string]string{}
	if batch {
		what, flags = append(what, "批次号（如“第三批”）"), append(flags, "--batch")
	}
	if date {
		what, flags = append(what, "交办日期（如“交办日期：2026年12月8日”）"), append(flags, "--date")
	}
	msg := fmt.Sprintf("无法确定%s：文件标题、文件名和表格中都没有，请用 %s 指定",
		strings.Join(what, "和"), strings.Join(flags, " 和 "))
	if batch {
		fields["batch"] = msg
	}
	if date {
		fields["date"] = msg
	}
	return &ducha.Error{Code: ducha.EINVALID, Message: msg, Fields: fields}
}

// isCaseSkip reports a totals row (合计 in 序号 or 受理编号, or in the
// text when there is no 受理编号) or a row with nothing but a 序号.
func isCaseSkip(v map[string]string) bool {
	keys := []string{"seq", "acceptance_no"}
	if strings.TrimSpace(v["acceptance_no"]) == "" {
		keys = append(keys, "text")
	}
	for _, key := range keys {
		s := strings.ReplaceAll(text.Clean(v[key]), " ", "")
		for _, w := range []string{"合计", "总计", "小计", "共计"} {
			if strings.HasPrefix(s, w) {
				return true
			}
		}
	}
	for k, s := range v {
		if k != "seq" && strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// caseOf turns one record into a case row; Batch and Date are set only
// from per-row columns.
func caseOf(rec excel.Record) (*CaseRow, error) {
	v := rec.Values
	c := &CaseRow{Row: rec.Row, Original: map[string]string{}}
	keep := func(key, raw, got string) {
		if raw = strings.TrimSpace(raw); raw != got {
			c.Original[key] = raw
		}
	}
	clean := func(key string) string {
		s := text.Clean(v[key])
		keep(key, v[key], s)
		return s
	}

	no, starred, err := acceptanceNo(v["acceptance_no"])
	if err != nil {
		return nil, caseError(rec.Row, "acceptance_no", "%s", err.Error())
	}
	c.AcceptanceNo = no
	keep("acceptance_no", v["acceptance_no"], no)

	if c.Text = clean("text"); c.Text == "" {
		return nil, caseError(rec.Row, "text", "交办问题基本情况不能为空")
	}
	areaKey := "area"
	if strings.TrimSpace(v["area"]) == "" && strings.TrimSpace(v["district"]) != "" {
		areaKey = "district" // only the county is named
	}
	c.Area = strings.ReplaceAll(text.Clean(v[areaKey]), " ", "")
	keep(areaKey, v[areaKey], c.Area)
	c.Types, c.TypeDetail = text.ParseTypes(clean("types"))
	if c.Types == nil {
		c.Types = []string{}
	}

	c.Channel = channelOf(no)
	if raw := strings.ReplaceAll(text.Clean(v["channel"]), " ", ""); raw != "" {
		c.Channel = parseChannel(raw)
		keep("channel", v["channel"], c.Channel)
	}

	key, ok := parseKeyFlag(v["key"])
	if !ok {
		return nil, caseError(rec.Row, "key", "“%s”无法识别（重点关注填“*”“★”“是”或“√”，否则填“否”或留空）", strings.TrimSpace(v["key"]))
	}
	c.Key = key || starred

	if raw := clean("batch"); raw != "" {
		n, ok := parseBatchCell(raw)
		if !ok {
			return nil, caseError(rec.Row, "batch", "“%s”不是有效的批次（如 3 或 第三批）", raw)
		}
		c.Batch = n
		delete(c.Original, "batch") // 第三批 and 3 say the same
	}
	if raw := strings.TrimSpace(v["date"]); raw != "" {
		d, err := text.ParseDate(raw)
		if err != nil {
			return nil, caseError(rec.Row, "date", "%s", err.Error())
		}
		c.Date = ducha.DateOf(d)
	}
	if c.LinkKind, c.LinkRefs, c.LinkNote, err = linkOf(v["duplicate"], v["note"]); err != nil {
		return nil, caseError(rec.Row, "duplicate", "%s", err.Error())
	}
	if err := resultsOf(c, v, clean); err != nil {
		return nil, err
	}
	if len(c.Original) == 0 {
		c.Original = nil
	}
	return c, nil
}

// noNumber are what offices write in a 受理编号 cell for "none".
var noNumber = map[string]bool{"-": true, "—": true, "——": true, "/": true, "无": true, "暂无": true, "待定": true}

// acceptanceNo normalizes a 受理编号 as written: full-width folded,
// traditional characters simplified, spaces removed, the case of letters
// kept; a leading apostrophe (Excel's text marker) and a trailing key mark
// (*, ＊, ★, ☆) are not part of it, and the mark sets starred. Any other
// non-empty value is a number: the forms differ from office to office.
func acceptanceNo(raw string) (no string, starred bool, err error) {
	s := strings.ReplaceAll(text.Clean(raw), " ", "")
	s = strings.TrimLeft(s, "'")
	if t := strings.TrimRight(s, "*★☆"); t != s {
		s, starred = t, true
	}
	if s == "" || noNumber[s] {
		return "", false, fmt.Errorf("受理编号不能为空")
	}
	return s, starred, nil
}

// channelOf is the channel an acceptance number's first letter gives: D
// for 来电, X for 来信 (the central teams' numbers); 其他 for any other.
func channelOf(no string) string {
	switch {
	case strings.HasPrefix(no, "D") || strings.HasPrefix(no, "d"):
		return ducha.ChannelPhone
	case strings.HasPrefix(no, "X") || strings.HasPrefix(no, "x"):
		return ducha.ChannelLetter
	}
	return ducha.ChannelOther
}

// channelWords are the 举报方式 values offices write, without a trailing
// 举报. An e-mail comes in over the network, so 电子邮件 is 网络; 邮件 and
// 信件 are letters.
var channelWords = map[string]string{
	"来电": ducha.ChannelPhone, "电话": ducha.ChannelPhone, "热线": ducha.ChannelPhone, "电话热线": ducha.ChannelPhone,
	"12369": ducha.ChannelPhone, "12345": ducha.ChannelPhone, "12369热线": ducha.ChannelPhone, "12345热线": ducha.ChannelPhone,
	"D":  ducha.ChannelPhone,
	"来信": ducha.ChannelLetter, "信件": ducha.ChannelLetter, "写信": ducha.ChannelLetter, "邮件": ducha.ChannelLetter,
	"信函": ducha.ChannelLetter, "邮寄": ducha.ChannelLetter, "X": ducha.ChannelLetter,
	"微信": ducha.ChannelWeChat, "微信公众号": ducha.ChannelWeChat, "公众号": ducha.ChannelWeChat, "微信平台": ducha.ChannelWeChat,
	"网络": ducha.ChannelOnline, "网上": ducha.ChannelOnline, "网信": ducha.ChannelOnline, "网站": ducha.ChannelOnline,
	"互联网": ducha.ChannelOnline, "网络平台": ducha.ChannelOnline, "电子邮件": ducha.ChannelOnline, "电子邮箱": ducha.ChannelOnline,
	"电邮": ducha.ChannelOnline, "邮箱": ducha.ChannelOnline, "EMAIL": ducha.ChannelOnline, "E-MAIL": ducha.ChannelOnline,
	"来访": ducha.ChannelVisit, "走访": ducha.ChannelVisit, "现场来访": ducha.ChannelVisit, "上访": ducha.ChannelVisit,
	"当面": ducha.ChannelVisit, "信访接待": ducha.ChannelVisit, "接访": ducha.ChannelVisit,
	"其他": ducha.ChannelOther, "其它": ducha.ChannelOther,
}

// parseChannel maps a 举报方式 cell (cleaned, no spaces) to a channel:
// the words of channelWords, with or without 举报; anything else is 其他
// (the caller keeps the value as written).
func parseChannel(s string) string {
	w := strings.ToUpper(s)
	if ch, ok := channelWords[w]; ok {
		return ch
	}
	if ch, ok := channelWords[strings.TrimSuffix(w, "举报")]; ok {
		return ch
	}
	return ducha.ChannelOther
}

// parseKeyFlag reads a 重点关注 cell.
func parseKeyFlag(raw string) (key, ok bool) {
	switch strings.ToUpper(strings.ReplaceAll(text.Clean(raw), " ", "")) {
	case "*", "★", "☆", "是", "√", "Y", "YES", "重点", "重点关注", "重点件":
		return true, true
	case "", "否", "-", "—", "——", "N", "NO":
		return false, true
	}
	return false, false
}

// Batch numbers: 第三批, 第 3 批, 第十一批, 批次：5; in file names also
// batch-05 and batch5.
var (
	reBatchOrdinal  = regexp.MustCompile(`第\s*([0-9]+|[零〇一二两三四五六七八九十百]+)\s*批`)
	reBatchLabel    = regexp.MustCompile(`批次\s*[：:]?\s*([0-9]+|[零〇一二两三四五六七八九十百]+)`)
	reBatchFilename = regexp.MustCompile(`(?i)batch[\s_-]*0*([0-9]+)`)
)

// fileValue is a file-level value and where it came from; firm is false
// for a guess from the file name, which per-row columns override.
type fileValue[T comparable] struct {
	value  T
	source string
	firm   bool
}

// fileBatch finds the batch number in opts, the title lines or the file name.
func fileBatch(title []string, filename string, opt int) (fileValue[int], error) {
	if opt < 0 {
		return fileValue[int]{}, ducha.FieldError("batch", "批次号必须是正整数（--batch %d）", opt)
	}
	if opt > 0 {
		return fileValue[int]{opt, "--batch", true}, nil
	}
	for _, line := range title {
		if n := batchIn(text.Clean(line), reBatchOrdinal, reBatchLabel); n > 0 {
			return fileValue[int]{n, "文件标题", true}, nil
		}
	}
	base := text.Clean(path.Base(strings.ReplaceAll(filename, "\\", "/")))
	if n := batchIn(base, reBatchOrdinal, reBatchFilename); n > 0 {
		return fileValue[int]{n, "文件名", false}, nil
	}
	return fileValue[int]{}, nil
}

// batchIn returns the first batch number one of res finds in s, or 0.
func batchIn(s string, res ...*regexp.Regexp) int {
	for _, re := range res {
		if m := re.FindStringSubmatch(s); m != nil {
			if n, ok := parseNumber(m[1]); ok && n > 0 {
				return n
			}
		}
	}
	return 0
}

// parseBatchCell reads a per-row 批次 cell: 3, 第3批, 第三批, 三.
func parseBatchCell(s string) (int, bool) {
	s = strings.TrimPrefix(strings.ReplaceAll(s, " ", ""), "第")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "次"), "批")
	n, ok := parseNumber(s)
	return n, ok && n > 0
}

// parseNumber reads decimal digits or a Chinese numeral below 1000
// (三, 十一, 二十三, 一百零五).
func parseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0
	}
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
		'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur := 0, -1 // cur: the digit waiting for its unit, -1 for none
	for _, r := range s {
		switch r {
		case '十', '百':
			unit := 10
			if r == '百' {
				unit = 100
			}
			if cur < 0 {
				cur = 1 // 十一: an implied 一
			}
			total += cur * unit
			cur = -1
		default:
			d, ok := digits[r]
			if !ok || cur > 0 { // 二二 is no number
				return 0, false
			}
			cur = d
		}
	}
	if cur > 0 {
		total += cur
	}
	return total, true
}

// reDateInLine finds a date written inside a title line.
var reDateInLine = regexp.MustCompile(`\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}`)

// fileDate finds the forwarded date in opts or the title lines: first in a
// line that says 交办日期/交办时间 (or 转办), then in one that says 交办,
// 转办, 日期 or 时间, then in any line but an as-of line (截至2026年12月20日).
// A date there that is not a real date is an error.
func fileDate(title []string, opt ducha.Date) (fileValue[ducha.Date], error) {
	if opt != "" {
		if _, err := ducha.ParseDateISO(string(opt)); err != nil {
			return fileValue[ducha.Date]{}, ducha.FieldError("date", "交办日期“%s”无效（应为 2026-12-08 的形式）", opt)
		}
		return fileValue[ducha.Date]{opt, "--date", true}, nil
	}
	passes := [][]string{
		{"交办日期", "交办时间", "转办日期", "转办时间"},
		{"交办", "转办", "日期", "时间"},
		nil,
	}
	for _, words := range passes {
		for _, line := range title {
			line = text.Clean(line)
			if words != nil && !containsAny(line, words) || words == nil && containsAny(line, []string{"截至", "截止"}) {
				continue
			}
			// A window's batch is forwarded at its end (its validity was
			// checked by fileWindow).
			if _, to, ok, _ := parseWindow(line); ok {
				return fileValue[ducha.Date]{ducha.DateOf(to.Add(-time.Nanosecond)), "文件标题", true}, nil
			}
			m := reDateInLine.FindString(line)
			if m == "" {
				continue
			}
			d, err := text.ParseDate(strings.ReplaceAll(m, " ", ""))
			if err != nil {
				return fileValue[ducha.Date]{}, ducha.FieldError("date", "标题“%s”中的交办日期：%s", line, err.Error())
			}
			return fileValue[ducha.Date]{ducha.DateOf(d), "文件标题", true}, nil
		}
	}
	return fileValue[ducha.Date]{}, nil
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// reWindow finds an intake window in a title line without spaces:
// 2017年5月25日12时-5月26日12时, 2021年4月27日12:00至28日12:00,
// 2017年12月31日-2018年1月1日. The end may leave out its year and month.
var reWindow = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})[日号](?:(\d{1,2})(?:时|点|:|：)(?:(\d{1,2})分?)?)?` +
	`(?:-+|—+|–|~|至|到)` +
	`(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})[日号](?:(\d{1,2})(?:时|点|:|：)(?:(\d{1,2})分?)?)?`)

// parseWindow reads the intake window of a cleaned title line, in the
// county's time zone. Without hours the window covers whole days. ok is
// false when the line has none; err names a window that cannot be (2月30日,
// an end before the start).
func parseWindow(line string) (from, to time.Time, ok bool, err error) {
	s := strings.ReplaceAll(line, " ", "")
	m := reWindow.FindStringSubmatch(s)
	if m == nil {
		return from, to, false, nil
	}
	num := func(i, def int) int {
		if m[i] == "" {
			return def
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	bad := fmt.Errorf("标题“%s”中的受理时段“%s”无效", line, m[0])
	y, mo, d := num(1, 0), num(2, 0), num(3, 0)
	h1, mi1 := num(4, 0), num(5, 0)
	y2, mo2, d2 := num(6, y), num(7, mo), num(8, 0)
	h2, mi2 := num(9, h1), num(10, mi1)
	if m[4] == "" && m[9] == "" { // whole days: up to the end of the last one
		h2 = 24
	}
	if h1 > 24 || h2 > 24 || mi1 > 59 || mi2 > 59 {
		return from, to, true, bad
	}
	day := func(y, mo, d int) (time.Time, bool) {
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, ducha.Location)
		return t, t.Year() == y && int(t.Month()) == mo && t.Day() == d
	}
	start, ok1 := day(y, mo, d)
	end, ok2 := day(y2, mo2, d2)
	if !ok1 || !ok2 {
		return from, to, true, bad
	}
	if m[6] == "" && end.Before(start) {
		switch {
		case m[7] == "": // 31日-1日: into the next month
			end, ok2 = day(y2, mo2+1, d2)
			if mo2 == 12 {
				end, ok2 = day(y2+1, 1, d2)
			}
		case mo2 < mo: // 12月31日-1月1日: into the next year
			end, ok2 = day(y2+1, mo2, d2)
		}
		if !ok2 {
			return from, to, true, bad
		}
	}
	from = start.Add(time.Duration(h1)*time.Hour + time.Duration(mi1)*time.Minute)
	to = end.Add(time.Duration(h2)*time.Hour + time.Duration(mi2)*time.Minute)
	if !to.After(from) {
		return from, to, true, fmt.Errorf("标题“%s”中的受理时段“%s”无效：结束时间早于开始时间", line, m[0])
	}
	return from, to, true, nil
}

// fileWindow finds the intake window in the title lines.
func fileWindow(title []string) (from, to *time.Time, err error) {
	for _, line := range title {
		f, t, ok, err := parseWindow(text.Clean(line))
		if err != nil {
			return nil, nil, ducha.FieldError("window", "%s", err.Error())
		}
		if ok {
			return &f, &t, nil
		}
	}
	return nil, nil, nil
}

// reAsOf finds the date results stand in a title line: 截至2017年6月30日.
var reAsOf = regexp.MustCompile(`(?:截至|截止)(?:到|至)?(?:日期|时间)?[：:]?(\d{4}年\d{1,2}月\d{1,2}[日号]?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})`)

// fileAsOf finds the title's 截至 date; "" when there is none.
func fileAsOf(title []string) (ducha.Date, error) {
	for _, line := range title {
		line = text.Clean(line)
		m := reAsOf.FindStringSubmatch(strings.ReplaceAll(line, " ", ""))
		if m == nil {
			continue
		}
		d, err := text.ParseDate(m[1])
		if err != nil {
			return "", ducha.FieldError("date", "标题“%s”中的截至日期：%s", line, err.Error())
		}
		return ducha.DateOf(d), nil
	}
	return "", nil
}
