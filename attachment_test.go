package ducha_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"ducha"
)

// TestAttachmentExtensionAgrees: the name's extension and the sniffed bytes
// must say the same thing; a name without an extension takes the bytes' type.
func TestAttachmentExtensionAgrees(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	zw.Close()
	ole := []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00\x00\x00\x00\x00")
	txt := []byte("整改完成情况：已拆除")
	cases := []struct {
		name string
		data []byte
		want string // content type, or "" for refused
	}{
		{"现场.jpg", jpeg, "image/jpeg"},
		{"现场.JPEG", jpeg, "image/jpeg"},
		{"IMG_0001", jpeg, "image/jpeg"},
		{"现场.png", jpeg, ""},
		{"现场.pdf", jpeg, ""},
		{"现场.png", png, "image/png"},
		{"现场.jpg", png, ""},
		{"验收.pdf", pdf, "application/pdf"},
		{"验收.docx", pdf, ""},
		{"方案.docx", zb.Bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"台账.xlsx", zb.Bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"照片.jpg", zb.Bytes(), ""},
		{"方案", zb.Bytes(), ""},
		{"方案.doc", ole, "application/msword"},
		{"方案.pdf", ole, ""},
		{"说明.txt", txt, "text/plain; charset=utf-8"},
		{"说明", txt, "text/plain; charset=utf-8"},
		{"说明.pdf", txt, ""},
		{"说明.html", []byte("<html><script>alert(1)</script>"), ""},
	}
	for _, c := range cases {
		ct, err := ducha.SniffAttachment(c.name, c.data)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%s: accepted as %s", c.name, ct)
		case c.want == "" && !strings.Contains(ducha.ErrorMessage(err), "文件"):
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err != nil || ct != c.want):
			t.Errorf("%s: %q %v, want %q", c.name, ct, err, c.want)
		}
	}
}

// A name carrying a NUL (which PostgreSQL refuses), a newline or bytes
// that are not UTF-8 is kept with "_" in their place, on both engines.
func TestAttachmentName(t *testing.T) {
	for in, want := range map[string]string{"x\x00y\nz.txt": "x_y_z.txt", "  照片.jpg ": "照片.jpg", "": "附件", " \t ": "附件",
		"a\xffb.pdf": "a_b.pdf", "../../etc/passwd": "../../etc/passwd"} {
		if got := ducha.AttachmentName(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
