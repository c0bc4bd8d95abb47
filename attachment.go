package ducha

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"unicode"
)

// SniffAttachment decides an upload's content type from its bytes, not from
// what the browser claimed, and refuses what is not evidence: only images,
// PDF, office documents and plain text are kept.
func SniffAttachment(name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", FieldError("file", "文件为空")
	}
	if len(data) > MaxAttachmentSize {
		return "", FieldError("file", "文件超过%dMB上限", MaxAttachmentSize>>20)
	}
	ext := strings.ToLower(filepath.Ext(name))
	ct := http.DetectContentType(data)
	kind := ""
	switch {
	case strings.HasPrefix(ct, "image/jpeg"):
		kind = "jpeg"
	case strings.HasPrefix(ct, "image/png"):
		kind = "png"
	case strings.HasPrefix(ct, "image/gif"):
		kind = "gif"
	case strings.HasPrefix(ct, "image/webp"):
		kind = "webp"
	case strings.HasPrefix(ct, "image/bmp"):
		kind = "bmp"
	case strings.HasPrefix(ct, "application/pdf"):
		kind = "pdf"
	case strings.HasPrefix(ct, "application/zip"):
		kind = "zip"
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		kind = "ole"
	case strings.HasPrefix(ct, "text/plain"):
		kind = "text"
	}
	// The name's extension must say what the bytes are: a photo named .pdf or
	// a zip named .jpg is refused, so that what a reader downloads opens as
	// what it says. A name without an extension takes the sniffed type.
	types, ok := attachmentTypes[kind]
	if !ok {
		return "", FieldError("file", "不支持的文件类型（%s）：只接受图片、PDF、Office文档和文本", ct)
	}
	if t, ok := types[ext]; ok {
		if t == "" {
			t = ct
		}
		return t, nil
	}
	if ext == "" && (kind != "zip" && kind != "ole") {
		return ct, nil
	}
	return "", FieldError("file", "文件扩展名“%s”与文件内容（%s）不符，请确认上传的是正确的文件", ext, kindLabel[kind])
}

// attachmentTypes lists, per sniffed kind, the extensions a name may have and
// the content type kept for each ("" keeps the sniffed type). Zip and OLE
// containers are told apart by extension only.
var attachmentTypes = map[string]map[string]string{
	"jpeg": {".jpg": "", ".jpeg": "", ".jpe": "", ".jfif": ""},
	"png":  {".png": ""},
	"gif":  {".gif": ""},
	"webp": {".webp": ""},
	"bmp":  {".bmp": ""},
	"pdf":  {".pdf": ""},
	"zip": {
		".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		".zip":  "application/zip",
	},
	"ole":  {".doc": "application/msword", ".xls": "application/vnd.ms-excel"},
	"text": {".txt": "text/plain; charset=utf-8", ".csv": "text/plain; charset=utf-8"},
}

// kindLabel names a sniffed kind for messages.
var kindLabel = map[string]string{
	"jpeg": "JPEG 图片", "png": "PNG 图片", "gif": "GIF 图片", "webp": "WebP 图片", "bmp": "BMP 图片",
	"pdf": "PDF 文档", "zip": "压缩包或 Office 文档", "ole": "旧版 Office 文档", "text": "文本",
}

// AttachmentName is the name an upload is kept under: trimmed, invalid
// UTF-8 and control characters (a NUL, which PostgreSQL's text refuses,
// a newline) replaced by "_", and "附件" for none. The same on both
// engines.
func AttachmentName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(strings.TrimSpace(name), "_"))
	if name == "" {
		return "附件"
	}
	return name
}
