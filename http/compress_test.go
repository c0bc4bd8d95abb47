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

// TestCompressLedgerParts: the ledger page's rows and form are kept
// compressed with the cached list page and spliced into each answer
// (web.Part); the answer read back with compress/gzip, which checks its
// checksum and length, is the page a client without gzip gets, on the
// first read and from the cache, and after a write.
func TestCompressLedgerParts(t *testing.T) {
	e := newEnv(t)
	for i := range 60 {
		e.problem("永清镇红星化工有限公司废水直排第"+strings.Repeat("一", i%7)+"处", "县生态环境局", nil)
	}
	b := e.browser()
	b.login("coord")
	page := func(accept string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", e.ts.URL+"/problems?per_page=50", nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept) // set by hand: the transport leaves the body compressed
		}
		resp, body := b.do(req)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if accept == "" {
			return body
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("the compressed page does not read back: %v", err)
		}
		return string(out)
	}
	// The header's token differs from answer to answer; the table and
	// the form do not.
	table := func(s string) string {
		i, j := strings.Index(s, "<main"), strings.LastIndex(s, "</main>")
		if i < 0 || j < i || strings.Contains(s, "\x00") {
			t.Fatalf("no main, or a part's mark left in the page: %q", s[:min(len(s), 200)])
		}
		return s[i:j]
	}
	for round := range 3 {
		plain := table(page(""))
		if !strings.Contains(plain, "红星化工") {
			t.Fatalf("round %d: the rows are not in the page", round)
		}
		for range 2 { // a miss, then the cache
			if got := table(page("gzip")); got != plain {
				t.Fatalf("round %d: the compressed page differs from the plain one", round)
			}
		}
		e.problem("又一处废水直排", "县生态环境局", nil)
	}
}
