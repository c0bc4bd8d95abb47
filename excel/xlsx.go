package excel

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The xlsx reader streams the parts of the package itself with
// encoding/xml's RawToken instead of going through excelize: one pass over
// the sheet XML yields cell values, styles and (after sheetData) the merged
// ranges, without excelize's per-cell DecodeElement and number formatting,
// without its GetMergeCells/GetCellValue that load the whole sheet, and
// without unzipping parts that are never read.

// workbook is an opened xlsx package.
type workbook struct {
	files     map[string]*zip.File // by partKey of the path
	sheets    []sheetRef
	sst       []string
	dateStyle []bool // per cellXfs index: the number format is a date
	date1904  bool
	lim       Limits
	unzipped  *budget // decompressed bytes left for all parts together
	elements  int64   // XML elements left for all parts together
}

type sheetRef struct{ name, path string }

// zipDirSig starts each entry of a zip's central directory.
var zipDirSig = []byte("PK\x01\x02")

// openWorkbook reads the workbook structure, shared strings and styles.
func openWorkbook(data []byte, lim Limits) (*workbook, error) {
	// The zip reader reads every entry of the central directory, each of
	// which begins with its signature; counting the signatures bounds the
	// entries before it allocates them (compressed data may hold the
	// signature by chance, which only counts too many).
	if bytes.Count(data, zipDirSig) > maxZipEntries {
		return nil, errTooManyParts()
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &Error{Message: "无法打开 Excel 文件，文件可能已损坏或不完整（" + err.Error() + "）"}
	}
	wb := &workbook{files: make(map[string]*zip.File, len(zr.File)), lim: lim,
		unzipped: &budget{left: lim.MaxUnzippedBytes, lim: lim}, elements: lim.elementBudget()}
	for _, f := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/")
		k := partKey(name)
		// Two entries with one name (ignoring case, as Excel does) would
		// leave it to chance which of them is read: the last one here,
		// maybe the first one in Excel.
		if g := wb.files[k]; g != nil {
			return nil, &Error{Message: fmt.Sprintf("Excel 文件中有两个同名的部件“%s”和“%s”（名称只差大小写），无法确定 Excel 显示的是哪一个，文件可能被改动过，已拒绝导入", g.Name, f.Name)}
		}
		wb.files[k] = f
	}
	wbPath := "xl/workbook.xml"
	// A broken root part is passed over for the usual workbook path, but
	// not a limit it passes.
	rels, err := wb.rels("_rels/.rels", "")
	if errors.Is(err, ErrLimit) || err == errCanceled {
		return nil, err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbPath = r.target
		}
	}
	if wb.files[partKey(wbPath)] == nil {
		return nil, &Error{Message: "文件不是有效的 Excel 工作簿（.xlsx）"}
	}
	dir := path.Dir(wbPath)
	rels, err = wb.rels(path.Join(dir, "_rels", path.Base(wbPath)+".rels"), dir)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]rel, len(rels))
	sstPath, stylesPath := path.Join(dir, "sharedStrings.xml"), path.Join(dir, "styles.xml")
	for _, r := range rels {
		byID[r.id] = r
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sstPath = r.target
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPath = r.target
		}
	}
	if err := wb.readWorkbook(wbPath, byID); err != nil {
		return nil, err
	}
	if err := wb.readSST(sstPath); err != nil {
		return nil, err
	}
	if err := wb.readStyles(stylesPath); err != nil {
		return nil, err
	}
	return wb, nil
}

// open returns a reader of the XML tokens of a part of the package, or nil
// when the part does not exist. What it reads is charged to the workbook's
// budget of decompressed bytes and passes the token guard; a part whose
// header already declares more than the budget left is refused unread.
func (wb *workbook) open(name string) (*xmlPart, error) {
	f := wb.files[partKey(name)]
	if f == nil {
		return nil, nil
	}
	if f.UncompressedSize64 > uint64(max(wb.unzipped.left, 0)) {
		return nil, errUnzippedTooBig(wb.lim)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{Message: "无法读取 Excel 文件中的 " + name + "（" + err.Error() + "）"}
	}
	var r io.Reader = &countingReader{r: rc, b: wb.unzipped}
	// A character takes at most 10 bytes of XML (&#x10FFFF;); the rest is
	// room for the tags around a cell's text.
	r = &tokenGuard{r: r, max: 10*wb.lim.MaxCellChars + 64<<10, part: name, lim: wb.lim}
	return &xmlPart{d: xml.NewDecoder(bufio.NewReaderSize(r, 64<<10)), c: rc, name: name, wb: wb}, nil
}

// xmlPart reads the tokens of one part within the workbook's budget of
// elements and maxXMLDepth, and stops when the caller gives up. The
// decoder's RawToken checks neither nesting nor the matching of end tags;
// an end tag with no element open is refused here, so that end tags cost
// no more than the start tags the budget counts.
type xmlPart struct {
	d     *xml.Decoder
	c     io.Closer
	name  string
	wb    *workbook
	depth int
	n     int // tokens read
}

func (p *xmlPart) Close() error { return p.c.Close() }

// token returns the next token, io.EOF at the end of the part, or an error
// naming the part.
func (p *xmlPart) token() (xml.Token, error) {
	tok, err := p.d.RawToken()
	if err == io.EOF {
		return nil, err
	} else if err != nil {
		return nil, xmlError(p.name, err)
	}
	switch tok.(type) {
	case xml.StartElement:
		if p.depth++; p.depth > maxXMLDepth {
			return nil, errTooDeep(p.name)
		}
		if err := p.spend(); err != nil {
			return nil, err
		}
	case xml.EndElement:
		if p.depth--; p.depth < 0 {
			return nil, xmlError(p.name, errors.New("结束标记没有对应的开始标记"))
		}
	case xml.Comment, xml.ProcInst:
		if err := p.spend(); err != nil {
			return nil, err
		}
	}
	if p.n++; p.n%checkDoneEvery == 0 && p.wb.lim.stopped() {
		return nil, errCanceled
	}
	return tok, nil
}

// spend charges one element to the workbook's budget.
func (p *xmlPart) spend() error {
	if p.wb.elements--; p.wb.elements < 0 {
		return errTooManyElements(p.wb.lim, p.name)
	}
	return nil
}

// partKey is the key of a part name in workbook.files: names are equal
// when they are equal ignoring case (Unicode simple folding, as
// strings.EqualFold), as Excel finds its parts whatever their case.
func partKey(name string) string {
	ascii := true
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(name)
	}
	// The smallest rune of each rune's folding orbit stands for all.
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		if least < utf8.RuneSelf {
			return unicode.ToLower(least)
		}
		return least
	}, name)
}

// xmlError wraps a parse error of a package part; a refusal by the limits
// (which reaches the decoder as a read error) passes as it is.
func xmlError(name string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Message: "Excel 文件中的 " + name + " 已损坏（" + err.Error() + "）"}
}

// maxRels bounds the relationships read from one .rels part.
const maxRels = 10 * maxSheets

func attr(se *xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

type rel struct{ id, target, typ string }

// rels reads a relationships part; targets are resolved against dir.
func (wb *workbook) rels(name, dir string) ([]rel, error) {
	p, err := wb.open(name)
	if p == nil {
		return nil, err
	}
	defer p.Close()
	var out []rel
	for {
		tok, err := p.token()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
			if strings.EqualFold(attr(&se, "TargetMode"), "External") {
				continue
			}
			target := strings.ReplaceAll(attr(&se, "Target"), "\\", "/")
			if strings.HasPrefix(target, "/") {
				target = path.Clean(target[1:])
			} else {
				target = path.Join(dir, target)
			}
			if len(out) == maxRels {
				return nil, limitError(0, "Excel 文件中的 %s 含有超过 %d 个关系，不是正常的 Excel 文件，已拒绝导入", name, maxRels)
			}
			out = append(out, rel{id: attr(&se, "Id"), target: target, typ: attr(&se, "Type")})
		}
	}
}

// readWorkbook reads the sheet list (visible sheets first) and the date
// system.
func (wb *workbook) readWorkbook(name string, byID map[string]rel) error {
	p, err := wb.open(name)
	if p == nil {
		return err
	}
	defer p.Close()
	var hidden []sheetRef
	for {
		tok, err := p.token()
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v := attr(&se, "date1904")
			wb.date1904 = v == "1" || v == "true"
		case "sheet":
			var id string
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					id = a.Value
				}
			}
			r, ok := byID[id]
			if !ok || !strings.HasSuffix(r.typ, "/worksheet") {
				continue // chart sheets, dialog sheets, dangling references
			}
			if len(wb.sheets)+len(hidden) == maxSheets {
				return errTooManySheets()
			}
			s := sheetRef{name: attr(&se, "name"), path: r.target}
			if st := attr(&se, "state"); st == "hidden" || st == "veryHidden" {
				hidden = append(hidden, s)
			} else {
				wb.sheets = append(wb.sheets, s)
			}
		}
	}
	wb.sheets = append(wb.sheets, hidden...)
	if len(wb.sheets) == 0 {
		return &Error{Message: "Excel 文件中没有工作表"}
	}
	return nil
}

// readSST reads the shared strings, skipping phonetic runs (rPh). Their
// number and the length of each are checked as they are read.
func (wb *workbook) readSST(name string) error {
	p, err := wb.open(name)
	if p == nil {
		return err
	}
	defer p.Close()
	var (
		buf         []byte
		chars       int // characters in buf
		inT, inRPh  bool
		inSI        bool
		startedList bool
	)
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sst":
				if n, err := strconv.Atoi(attr(&t, "uniqueCount")); err == nil && n > 0 && !startedList {
					wb.sst = make([]string, 0, min(n, wb.lim.MaxSharedStrings, 1<<20))
				}
				startedList = true
			case "si":
				if len(wb.sst) == wb.lim.MaxSharedStrings {
					return errTooManySharedStrings(wb.lim)
				}
				inSI, buf, chars = true, buf[:0], 0
			case "t":
				inT = inSI && !inRPh
			case "rPh":
				inRPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				wb.sst = append(wb.sst, unescapeOOXML(string(buf)))
				inSI = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		case xml.CharData:
			if inT {
				if chars += runeCount(t); chars > wb.lim.MaxCellChars {
					return errCellTooLong(wb.lim, 0, "")
				}
				buf = append(buf, t...)
			}
		}
	}
}

// readStyles records which cell formats (cellXfs) show numbers as dates.
func (wb *workbook) readStyles(name string) error {
	p, err := wb.open(name)
	if p == nil {
		return err
	}
	defer p.Close()
	// Only the first maxStyles formats are kept: no real workbook has more,
	// and a cell pointing past them is read as not a date.
	custom := make(map[int]bool) // custom numFmtId → is a date format
	var xfs []int
	var inNumFmts, inCellXfs bool
	for {
		tok, err := p.token()
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmts":
				inNumFmts = true
			case "cellXfs":
				inCellXfs = true
			case "numFmt":
				if inNumFmts && len(custom) < maxStyles {
					if id, err := strconv.Atoi(attr(&t, "numFmtId")); err == nil {
						custom[id] = isDateFormatCode(attr(&t, "formatCode"))
					}
				}
			case "xf":
				if inCellXfs && len(xfs) < maxStyles {
					id, _ := strconv.Atoi(attr(&t, "numFmtId"))
					xfs = append(xfs, id)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "numFmts":
				inNumFmts = false
			case "cellXfs":
				inCellXfs = false
			}
		}
	}
	wb.dateStyle = make([]bool, len(xfs))
	for i, id := range xfs {
		wb.dateStyle[i] = isBuiltinDateFormat(id) || custom[id]
	}
	return nil
}

// readXLSX reads the first sheet that has a header row. A sheet whose
// header lacks a required column is passed over for a later sheet that has
// them all; if none has, the first such error is returned.
func (m *matcher) readXLSX(data []byte, filename string) (*Table, error) {
	wb, err := openWorkbook(data, m.lim)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, s := range wb.sheets {
		g := &grid{sheet: s.name}
		g.merges, err = wb.readSheet(s.path, func(num int, cells []rawCell) error {
			if err := m.addRow(g, num, cells); err != nil {
				return err
			}
			if len(g.rows) == headerScanRows && !m.mayHaveHeader(g.rows) {
				return errStop
			}
			return nil
		})
		if err == errStop {
			continue
		} else if err != nil {
			return nil, err
		}
		t, err := m.buildTable(g)
		switch {
		case err == nil:
			return t, nil
		case errors.Is(err, ErrLimit):
			return nil, err // not passed over for a smaller sheet
		case err != errNoHeader && firstErr == nil:
			firstErr = err // e.g. a required column is missing
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, m.noHeaderError(filename)
}

// noHeaderError describes a file without a recognisable header row.
func (m *matcher) noHeaderError(filename string) error {
	var names []string
	for _, c := range m.spec.Columns {
		if len(c.Names) > 0 && len(names) < 5 {
			names = append(names, "“"+c.Names[0]+"”")
		}
	}
	where := "文件"
	if filename != "" {
		where = "文件“" + path.Base(strings.ReplaceAll(filename, "\\", "/")) + "”"
	}
	return &Error{Message: fmt.Sprintf("%s前%d行中没有找到表头：表头行应至少包含%d个可识别的列名，如%s",
		where, headerScanRows, m.minMatch, strings.Join(names, ""))}
}
