package sheets

import (
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"

	"ducha"
	"ducha/excel"
	"ducha/text"
)

// CaseSpec are the columns of a case batch (群众信访举报件交办表) and the
// header names the inspection team and the provincial office use for them.
var CaseSpec = excel.Spec{Columns: []excel.Column{
	{Key: "seq", Names: []string{"序号"}},
	{Key: "acceptance_no", Names: []string{"受理编号", "举报编号", "编号"}, Required: true},
	{Key: "text", Names: []string{"交办问题基本情况", "举报内容", "信访内容", "问题描述"}, Required: true},
	{Key: "area", Names: []string{"行政区域", "所在乡镇", "区域", "乡镇"}},
	{Key: "types", Names: []string{"污染类型", "问题类型"}},
	{Key: "channel", Names: []string{"举报方式", "来电/来信", "来信/来电", "来电/来信方式", "渠道", "举报渠道"}},
	{Key: "key", Names: []string{"重点关注", "是否重点", "重点", "是否重点关注"}},
	{Key: "batch", Names: []string{"批次"}},
	{Key: "date", Names: []string{"交办日期"}},
}}

// caseHeaders gives each case column key the header used in messages.
var caseHeaders = func() map[string]string {
	m := map[string]string{}
	for _, c := range CaseSpec.Columns {
		m[c.Key] = c.Names[0]
	}
	return m
}()

// CaseFileOptions are what the caller knows about a batch file, from the
// CLI's --batch and --date flags. Zero values mean "take it from the file".
type CaseFileOptions struct {
	Batch int
	Date  ducha.Date
	// Limits bound the file; zero fields take excel.DefaultLimits.
	Limits excel.Limits
}

// CaseFile is a case batch file as read: the batch it hands over and its
// cases, one per data row.
type CaseFile struct {
	Batch   int        // 第三批 → 3
	Date    ducha.Date // 交办日期
	Title   []string   // the cell texts above the header
	Rows    []CaseRow
	Skipped []int // rows not imported: totals (合计/总计/小计) and rows with nothing but a 序号
}

// CaseRow is one forwarded complaint (交办件) of a batch file.
type CaseRow struct {
	Row          int        // Excel row, or csv line
	AcceptanceNo string     // 受理编号: cleaned, upper-case, no spaces
	Text         string     // 交办问题基本情况, cleaned
	Area         string     // 行政区域, cleaned, no spaces; may be empty (the office fills it in later)
	Types        []string   // canonical pollution types (text.ParseTypes)
	TypeDetail   string     // the specific words: 油烟, 扬尘, 光污染
	Channel      string     // 来电 or 来信
	Key          bool       // 重点关注
	Batch        int        // the row's 批次 cell, else the file's
	Date         ducha.Date // the row's 交办日期 cell, else the file's
	// Original holds the cells as written, by column key, where cleaning or
	// mapping changed them (full-width or traditional text, 电话 → 来电).
	Original map[string]string
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
// the file name (cases-batch-05.xlsx, 第5批交办件.csv). A per-row 批次 or
// 交办日期 column gives each row its own value; all rows must agree, and
// they must agree with opts or the title when those give one (a value
// guessed from the file name yields to the rows). With neither, the read
// fails naming what is missing.
//
// Each row:
//   - 受理编号 is required: D (来电) or X (来信), then letters and digits,
//     at least 6 characters in all (D3SX202612080001); it must be unique
//     within the file.
//   - the complaint text is required; the area may be empty.
//   - the channel is the 举报方式 column's: 来电/电话/热线 give 来电, and
//     来信/信件/网络/网上/邮件 give 来信 (an online report counts as a
//     letter: SPEC knows only the two channels). When the column is absent
//     or empty it is the acceptance number's letter. A column value that
//     contradicts the letter wins, as the team's table says how the case
//     came in.
//   - 重点关注: *, ★, 是, √, Y, 重点 are true; empty, 否, -, — are false;
//     anything else is an error.
//
// Rows whose 序号 or 受理编号 cell (or text, when there is no 受理编号)
// begins with 合计, 总计, 小计 or 共计 are totals, and rows with nothing but a 序号 are unused template rows: both
// are skipped and listed in Skipped.
//
// The file is read within opts.Limits.
func ReadCases(r io.Reader, filename string, opts CaseFileOptions) (*CaseFile, error) {
	t, err := excel.ReadLimited(r, filename, CaseSpec, opts.Limits)
	if err != nil {
		return nil, fileError(err, caseKeyOf)
	}
	f := &CaseFile{Title: t.Title}
	batch, err := fileBatch(t.Title, filename, opts.Batch)
	if err != nil {
		return nil, err
	}
	date, err := fileDate(t.Title, opts.Date)
	if err != nil {
		return nil, err
	}
	_, batchCol := t.Columns["batch"]
	_, dateCol := t.Columns["date"]
	if (batch.value == 0 && !batchCol) || (date.value == "" && !dateCol) {
		return nil, missingError(batch.value == 0, date.value == "")
	}

	seen := map[string]int{}
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
		if first, dup := seen[c.AcceptanceNo]; dup {
			return nil, caseError(rec.Row, "acceptance_no", "受理编号“%s”与第%d行重复", c.AcceptanceNo, first)
		}
		seen[c.AcceptanceNo] = rec.Row
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

	no, err := acceptanceNo(v["acceptance_no"])
	if err != nil {
		return nil, caseError(rec.Row, "acceptance_no", "%s", err.Error())
	}
	c.AcceptanceNo = no
	keep("acceptance_no", v["acceptance_no"], no)

	if c.Text = clean("text"); c.Text == "" {
		return nil, caseError(rec.Row, "text", "交办问题基本情况不能为空")
	}
	c.Area = strings.ReplaceAll(text.Clean(v["area"]), " ", "")
	keep("area", v["area"], c.Area)
	c.Types, c.TypeDetail = text.ParseTypes(clean("types"))
	if c.Types == nil {
		c.Types = []string{}
	}

	c.Channel = channelOf(no)
	if raw := strings.ReplaceAll(text.Clean(v["channel"]), " ", ""); raw != "" {
		ch, ok := parseChannel(raw)
		if !ok {
			return nil, caseError(rec.Row, "channel", "“%s”不是有效的举报方式（应为来电或来信）", raw)
		}
		c.Channel = ch
		keep("channel", v["channel"], ch)
	}

	key, ok := parseKeyFlag(v["key"])
	if !ok {
		return nil, caseError(rec.Row, "key", "“%s”无法识别（重点关注填“*”“★”“是”或“√”，否则填“否”或留空）", strings.TrimSpace(v["key"]))
	}
	c.Key = key

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
	if len(c.Original) == 0 {
		c.Original = nil
	}
	return c, nil
}

// reAcceptanceNo is the loose shape of a 受理编号: D or X, then letters,
// digits and hyphens, at least 6 characters in all.
var reAcceptanceNo = regexp.MustCompile(`^[DX][0-9A-Z-]{4,}[0-9A-Z]$`)

// acceptanceNo normalizes a 受理编号 (full-width folded, spaces removed,
// upper case) and checks its shape.
func acceptanceNo(raw string) (string, error) {
	s := strings.ToUpper(strings.ReplaceAll(text.Clean(raw), " ", ""))
	switch {
	case s == "":
		return "", fmt.Errorf("受理编号不能为空")
	case !reAcceptanceNo.MatchString(s) || !strings.ContainsAny(s, "0123456789"):
		return "", fmt.Errorf("“%s”不是有效的受理编号（应以 D 或 X 开头，后接字母和数字，如 D3SX202612080001）", strings.TrimSpace(raw))
	}
	return s, nil
}

// channelOf is the channel an acceptance number's first letter gives.
func channelOf(no string) string {
	if strings.HasPrefix(no, "D") {
		return ducha.ChannelPhone
	}
	return ducha.ChannelLetter
}

// parseChannel maps a 举报方式 cell (cleaned, no spaces) to 来电 or 来信.
func parseChannel(s string) (string, bool) {
	s = strings.TrimSuffix(s, "举报")
	switch s {
	case "来电", "电话", "热线", "电话热线", "12369", "12345", "D":
		return ducha.ChannelPhone, true
	case "来信", "信件", "写信", "网络", "网上", "网信", "邮件", "电子邮件", "X":
		return ducha.ChannelLetter, true
	}
	return "", false
}

// parseKeyFlag reads a 重点关注 cell.
func parseKeyFlag(raw string) (key, ok bool) {
	switch strings.ToUpper(strings.ReplaceAll(text.Clean(raw), " ", "")) {
	case "*", "★", "☆", "是", "√", "Y", "YES", "重点", "重点关注":
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
