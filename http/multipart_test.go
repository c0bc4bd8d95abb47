package http_test

import (
	"bytes"
	"mime/multipart"
	"testing"
)

// multipartFile builds a multipart body with one field "file".
func multipartFile(t *testing.T, name string, data []byte) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}
