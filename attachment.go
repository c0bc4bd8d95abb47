package ducha

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
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
	switch {
	case strings.HasPrefix(ct, "image/jpeg"), strings.HasPrefix(ct, "image/png"),
		strings.HasPrefix(ct, "image/gif"), strings.HasPrefix(ct, "image/webp"),
		strings.HasPrefix(ct, "image/bmp"), strings.HasPrefix(ct, "application/pdf"):
		return ct, nil
	case strings.HasPrefix(ct, "application/zip"):
		switch ext {
		case ".docx":
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", nil
		case ".xlsx":
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nil
		case ".pptx":
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation", nil
		case ".zip":
			return "application/zip", nil
		}
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		switch ext {
		case ".doc":
			return "application/msword", nil
		case ".xls":
			return "application/vnd.ms-excel", nil
		}
	case strings.HasPrefix(ct, "text/plain"):
		if ext == ".txt" || ext == ".csv" || ext == "" {
			return "text/plain; charset=utf-8", nil
		}
	}
	return "", FieldError("file", "不支持的文件类型（%s）：只接受图片、PDF、Office文档和文本", ct)
}
