// Package doctext reads the text of the files a county keeps as documents:
// plain text (UTF-8, with or without a BOM, or GB18030/GBK as Chinese
// Windows writes it), HTML pages (text only) and Word .docx files (their
// main part, streamed). Every read is bounded: the file, the unzipped
// bytes and the entries of a .docx, and the text; a zip bomb is refused
// after reading its directory. The text comes out normalised by
// text.Document: simplified characters, pinyin notes removed, line breaks
// kept.
package doctext

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"ducha"
	"ducha/text"
)

// Limits bound one file. Zero fields take DefaultLimits'.
type Limits struct {
	MaxFileBytes     int64 // the upload itself
	MaxUnzippedBytes int64 // a .docx's main part once unzipped
	MaxEntries       int   // the entries of a .docx's zip directory
	MaxTextChars     int   // the text, in characters
}

// DefaultLimits: an upload as large as an attachment, 64 MB of unzipped
// document XML (a 600-page report is some 10 MB), 2,000 zip entries (a
// .docx has a dozen, a hundred with many images) and ducha.MaxDocumentChars.
var DefaultLimits = Limits{
	MaxFileBytes:     ducha.MaxAttachmentSize,
	MaxUnzippedBytes: 64 << 20,
	MaxEntries:       2000,
	MaxTextChars:     ducha.MaxDocumentChars,
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.MaxFileBytes > 0 {
		d.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxUnzippedBytes > 0 {
		d.MaxUnzippedBytes = l.MaxUnzippedBytes
	}
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxTextChars > 0 {
		d.MaxTextChars = l.MaxTextChars
	}
	return d
}

// Result is what Extract read.
type Result struct {
	// Text is the normalised text (text.Document).
	Text string
	// ContentType is the original's type as it is served back: from the
	// extension the bytes were read as, with the charset they were in.
	ContentType string
}

// Content types of the formats read.
const (
	TypeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Extract reads the text of the file name (its extension says the format)
// with contents data, within lim. Errors are field errors on "file" that
// name the file.
func Extract(name string, data []byte, lim Limits) (*Result, error) {
	lim = lim.orDefault()
	base := filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if len(data) == 0 {
		return nil, ducha.FieldError("file", "文件“%s”是空的", base)
	}
	if int64(len(data)) > lim.MaxFileBytes {
		return nil, ducha.FieldError("file", "文件“%s”超过%dMB上限", base, lim.MaxFileBytes>>20)
	}
	var raw, ct string
	var err error
	switch ext := strings.ToLower(filepath.Ext(base)); ext {
	case ".txt", ".text":
		var charset string
		raw, charset, err = decodeText(base, data)
		ct = "text/plain; charset=" + charset
	case ".html", ".htm":
		var charset string
		if raw, charset, err = decodeText(base, data); err == nil {
			raw, err = htmlText(base, raw, lim)
		}
		ct = "text/html; charset=" + charset
	case ".docx":
		raw, err = docxText(base, data, lim)
		ct = TypeDocx
	default:
		if ext == "" {
			ext = "无扩展名"
		}
		return nil, ducha.FieldError("file", "不支持文件“%s”的格式（%s）：只能导入 .txt、.html/.htm 和 .docx 文件", base, ext)
	}
	if err != nil {
		return nil, err
	}
	// The raw text may be a little longer than the normalised one (pinyin
	// notes, spaces): refuse only what is too long either way, and check
	// the raw length first so that normalising is bounded too.
	if n := utf8.RuneCountInString(raw); n > 2*lim.MaxTextChars {
		return nil, tooLong(base, lim, n)
	}
	out := text.Document(raw)
	if n := utf8.RuneCountInString(out); n > lim.MaxTextChars {
		return nil, tooLong(base, lim, n)
	}
	if out == "" {
		return nil, ducha.FieldError("file", "文件“%s”中没有文字", base)
	}
	return &Result{Text: out, ContentType: ct}, nil
}

func tooLong(name string, lim Limits, n int) error {
	return ducha.FieldError("file", "文件“%s”的文字过长：最多%d字，现有约%d字", name, lim.MaxTextChars, n)
}

// decodeText reads bytes as UTF-16 when they start with its byte-order
// mark, as UTF-8 (a BOM dropped) or, when they are not UTF-8, as GB18030
// (which GBK and GB2312 are subsets of); it says which.
func decodeText(name string, data []byte) (string, string, error) {
	// Windows Notepad's "Unicode" is UTF-16 with its byte-order mark.
	if bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) || bytes.IndexByte(out, 0) >= 0 {
			return "", "", ducha.FieldError("file", "文件“%s”的编码无法识别：请保存为 UTF-8 或 GBK（GB18030）编码的文本", name)
		}
		return string(out), "utf-16", nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", ducha.FieldError("file", "文件“%s”不是文本文件（含有二进制内容）", name)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(data) {
		return string(data), "utf-8", nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", "", ducha.FieldError("file", "文件“%s”的编码无法识别：请保存为 UTF-8 或 GBK（GB18030）编码的文本", name)
	}
	return string(out), "gb18030", nil
}
