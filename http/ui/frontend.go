package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"ducha/http/web"
)

// frontendDist is what `make frontend` builds from http/ui/frontend (npm ci,
// esbuild): the page script, the charts and their precompressed copies.
// Only dist/.keep is committed, so this compiles before the first build;
// the bundles then answer 503 saying how to build them.
//
//go:embed all:frontend/dist
var frontendDist embed.FS

// bundle is one built script with its encodings. Its URL carries the
// content hash (/static/app.js?v=…), so a page names the exact bytes and
// browsers keep them a year; the ETag answers a revalidation without them.
type bundle struct {
	raw, gz, br []byte
	hash        string
}

var (
	bundlesOnce sync.Once
	bundles     map[string]*bundle
)

// frontendBundles reads the embedded bundles once; a bundle with no
// gzip copy (built by hand) is compressed here, once.
func frontendBundles() map[string]*bundle {
	bundlesOnce.Do(func() {
		bundles = map[string]*bundle{}
		for _, name := range []string{"app.js", "charts.js"} {
			raw, err := fs.ReadFile(frontendDist, "frontend/dist/"+name)
			if err != nil || len(raw) == 0 {
				continue
			}
			sum := sha256.Sum256(raw)
			b := &bundle{raw: raw, hash: hex.EncodeToString(sum[:6])}
			b.gz, _ = fs.ReadFile(frontendDist, "frontend/dist/"+name+".gz")
			b.br, _ = fs.ReadFile(frontendDist, "frontend/dist/"+name+".br")
			if len(b.gz) == 0 {
				var buf bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
				zw.Write(raw)
				zw.Close()
				b.gz = buf.Bytes()
			}
			bundles[name] = b
		}
	})
	return bundles
}

// FrontendBuilt reports whether the page script was built and embedded
// (`make frontend`); without it the pages work as plain forms only.
func FrontendBuilt() bool { return frontendBundles()["app.js"] != nil }

// bundleURL is the path of a bundle with its content hash; the bare path
// when it was not built (which then answers 503).
func bundleURL(name string) string {
	if b := frontendBundles()[name]; b != nil {
		return "/static/" + name + "?v=" + b.hash
	}
	return "/static/" + name
}

// AppJS is the URL of the script every page loads.
func (p *page) AppJS() string { return bundleURL("app.js") }

// ChartsJS is the URL of the dashboards' charts.
func (p *page) ChartsJS() string { return bundleURL("charts.js") }

// handleBundle answers a built script, brotli or gzip when the browser
// takes it.
func (s *handler) handleBundle(name string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b := frontendBundles()[name]
		h := w.Header()
		if b == nil {
			h.Set("Content-Type", "text/plain; charset=utf-8")
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("前端脚本 " + name + " 尚未构建：请运行 make frontend（在 http/ui/frontend 中执行 npm ci 与 npm run build），再重新编译 ducha。\n" +
				"The front-end bundle " + name + " was not built: run make frontend, then rebuild ducha.\n"))
			return nil
		}
		body, enc := b.raw, ""
		accept := r.Header.Get("Accept-Encoding")
		switch {
		case len(b.br) > 0 && acceptsEncoding(accept, "br"):
			body, enc = b.br, "br"
		case acceptsEncoding(accept, "gzip"):
			body, enc = b.gz, "gzip"
		}
		etag := `"` + b.hash + `"`
		if enc != "" {
			etag = `"` + b.hash + "-" + enc + `"`
		}
		h.Set("Vary", "Accept-Encoding")
		h.Set("ETag", etag)
		if r.URL.Query().Get("v") == b.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, no-cache")
		}
		if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		if enc != "" {
			h.Set("Content-Encoding", enc)
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
		return nil
	}
}

// acceptsEncoding reports whether an Accept-Encoding header takes enc
// (and does not refuse it with q=0).
func acceptsEncoding(header, enc string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}
