package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"ducha"
)

// wordML is the namespace of a .docx's main part.
const wordML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// errTooBig is the bound an unzipped part ran into.
var errTooBig = errors.New("unzipped part too big")

// docxText reads the text of word/document.xml in one stream: the runs'
// text (w:t), a line break for each paragraph (w:p) and break (w:br, w:cr),
// a tab for w:tab. Deleted text (w:delText), fields' codes and everything
// else are left out. The zip's directory is checked first (entry count,
// the part's declared size), then the part is read through a counter that
// stops at the bound whatever the directory said.
func docxText(name string, data []byte, lim Limits) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", ducha.FieldError("file", "文件“%s”不是有效的 .docx 文件（无法作为压缩包打开）", name)
	}
	if n := len(zr.File); n > lim.MaxEntries {
		return "", ducha.FieldError("file", "文件“%s”的压缩包有%d个条目，超过%d个的上限（可能是压缩炸弹），已拒绝", name, n, lim.MaxEntries)
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
			break
		}
	}
	if part == nil {
		return "", ducha.FieldError("file", "文件“%s”不是 Word 文档（缺少 word/document.xml）", name)
	}
	bomb := ducha.FieldError("file", "文件“%s”解压后超过%dMB的上限（可能是压缩炸弹），已拒绝", name, lim.MaxUnzippedBytes>>20)
	if part.UncompressedSize64 > uint64(lim.MaxUnzippedBytes) {
		return "", bomb
	}
	rc, err := part.Open()
	if err != nil {
		return "", ducha.FieldError("file", "文件“%s”无法解压：%v", name, err)
	}
	defer rc.Close()
	out, err := wordText(&boundedReader{r: rc, left: lim.MaxUnzippedBytes}, 2*lim.MaxTextChars)
	switch {
	case errors.Is(err, errTooBig):
		return "", bomb
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum):
		// archive/zip stops a part that unzips to more than its directory
		// said: a crafted bomb.
		return "", ducha.FieldError("file", "文件“%s”解压后的大小与压缩包目录所记不符（可能是压缩炸弹），已拒绝", name)
	case errors.Is(err, errTextTooLong):
		return "", tooLong(name, lim, 2*lim.MaxTextChars)
	case errors.Is(err, errTooDeep):
		return "", ducha.FieldError("file", "文件“%s”的正文结构嵌套超过%d层，不像是正常的Word文档，已拒绝", name, maxDocxDepth)
	case err != nil:
		return "", ducha.FieldError("file", "文件“%s”的内容已损坏，无法读取：%v", name, err)
	}
	return out, nil
}

var (
	errTextTooLong = errors.New("text too long")
	errTooDeep     = errors.New("nested too deep")
)

// maxDocxDepth bounds the nesting of document.xml: the decoder keeps a
// stack entry per open element, so a file of nothing but opening tags
// would otherwise cost memory in proportion to its unzipped size. Real
// documents nest a few dozen levels (tables in tables, content controls).
const maxDocxDepth = 256

// wordText streams the document XML, stopping once the text passes
// maxChars (bytes counted, which bound characters from above).
func wordText(r io.Reader, maxChars int) (string, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var b strings.Builder
	inText, depth := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String(), nil
		} else if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDocxDepth {
				return "", errTooDeep
			}
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText++
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			depth = max(depth-1, 0)
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = max(inText-1, 0)
			case "p":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText > 0 {
				b.Write(t)
			}
		}
		if b.Len() > 4*maxChars { // 4 bytes per character at most
			return "", errTextTooLong
		}
	}
}

// boundedReader reads at most left bytes, then fails with errTooBig.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a part of exactly the bound from a larger one.
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			return 0, errTooBig
		}
		return b.r.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
