package doctext

import (
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"ducha"
)

// htmlText is the text of an HTML page: what a reader sees, without
// scripts, styles and other hidden parts, a line break after each block
// (paragraphs, headings, list items, table rows, breaks).
func htmlText(name, page string, lim Limits) (string, error) {
	z := html.NewTokenizer(strings.NewReader(page))
	z.SetMaxBuf(int(lim.MaxFileBytes) + 1)
	var b strings.Builder
	skip := 0 // depth inside elements whose content is not shown
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return b.String(), nil
			}
			return "", ducha.FieldError("file", "文件“%s”无法按 HTML 读取：%v", name, z.Err())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			// The page's own line breaks between blocks are layout, not text.
			t := z.Text()
			if s := b.String(); (s == "" || s[len(s)-1] == '\n') && len(strings.TrimSpace(string(t))) == 0 {
				continue
			}
			b.Write(t)
		case html.StartTagToken, html.SelfClosingTagToken:
			tn, _ := z.TagName()
			a := atom.Lookup(tn)
			if hidden(a) {
				if tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if block(a) && skip == 0 {
				newline(&b)
			}
		case html.EndTagToken:
			tn, _ := z.TagName()
			a := atom.Lookup(tn)
			if hidden(a) {
				skip = max(skip-1, 0)
				continue
			}
			if block(a) && skip == 0 {
				newline(&b)
			}
		}
	}
}

// newline ends the line, once: a block's end and the next one's start
// make one line break, not an empty line.
func newline(b *strings.Builder) {
	if s := b.String(); s != "" && s[len(s)-1] != '\n' {
		b.WriteByte('\n')
	}
}

// hidden elements' content is not the page's text.
func hidden(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Iframe, atom.Object, atom.Svg:
		return true
	}
	return false
}

// block elements stand on lines of their own.
func block(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Tr, atom.Table, atom.Section, atom.Article, atom.Blockquote, atom.Pre, atom.Hr,
		atom.Ul, atom.Ol, atom.Dd, atom.Dt, atom.Header, atom.Footer, atom.Title, atom.Body:
		return true
	}
	return false
}
