package http_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestCompress: pages, styles and the like travel gzip-compressed to a
// client that asks for it, and decompress to the page itself; JSON, a
// client that refuses gzip and HEAD get the bytes as they are.
func TestCompress(t *testing.T) {
	e := newEnv(t)
	get := func(path, accept string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		// DisableCompression: the transport neither asks for gzip nor
		// undoes it, so the test sees the wire.
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	gunzip := func(b []byte) string {
		t.Helper()
		zr, err := gzip.NewReader(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("not gzip: %v", err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		return string(out)
	}

	for _, path := range []string{"/login", "/static/style.css"} {
		plainResp, plain := get(path, "")
		if plainResp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s without Accept-Encoding: Content-Encoding %q", path, plainResp.Header.Get("Content-Encoding"))
		}
		resp, body := get(path, "br, gzip;q=0.8")
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: Content-Encoding %q Vary %q", path, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
		}
		if len(body) >= len(plain) {
			t.Errorf("%s: compressed %d bytes, plain %d", path, len(body), len(plain))
		}
		got := gunzip(body)
		if path == "/static/style.css" && got != string(plain) {
			t.Errorf("%s: decompressed answer differs from the plain one", path)
		}
		if path == "/login" && !strings.Contains(got, "</html>") {
			t.Errorf("%s: decompressed page is cut: %q", path, got[max(0, len(got)-80):])
		}
	}
	if resp, _ := get("/login", "gzip;q=0"); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	if resp, _ := get("/api/v1/openapi.json", "gzip"); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("JSON got Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	req, _ := http.NewRequest("HEAD", e.ts.URL+"/login", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("HEAD got Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}
