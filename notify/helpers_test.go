package notify

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Distinctive credentials: a test asserts that no error string holds them.
const (
	testSecret = "SECdeadbeef-secret-7f3a9c"
	testToken  = "tok9b8a7c6d5e4f3a2b1c0"
	testKey    = "ducha-delivery-42"
)

var cst = time.FixedZone("CST", 8*3600)

// testNow is the sender's and the fake vendors' clock.
var testNow = time.Date(2026, 3, 14, 9, 30, 0, 0, cst)

func clock() time.Time { return testNow }

// longChinese is a text of n runes of Chinese with line breaks and the
// characters JSON and HTML escape, so that byte limits are tested where a
// rune is three bytes and an escape is longer than its character.
func longChinese(n int) string {
	const unit = "关于督查督办事项整改落实情况的通报<第1条>&\n"
	var b strings.Builder
	for i := 0; utf8.RuneCountInString(b.String()) < n; i++ {
		b.WriteString(unit)
	}
	r := []rune(b.String())
	return string(r[:n])
}

func testMessage() Message {
	return Message{
		Key:   testKey,
		Event: "notice",
		Title: "督办通知：城关镇环保问题逾期未整改",
		Text:  "请于三日内反馈整改情况。\n责任单位：城关镇人民政府",
		Link:  "https://ducha.example.gov.cn/problems/42",
	}
}

// asNotifyError asserts that err is an *Error and returns it.
func asNotifyError(t *testing.T, err error) *Error {
	t.Helper()
	if err == nil {
		t.Fatal("Send succeeded, want an error")
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not a *notify.Error", err, err)
	}
	return e
}

// noLeak asserts that err's text holds none of the secrets.
func noLeak(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds the secret %q", err, s)
		}
	}
}

// wantClass asserts the error's class and code.
func wantClass(t *testing.T, err error, temporary, throttled bool, code string) *Error {
	t.Helper()
	e := asNotifyError(t, err)
	if e.Temporary != temporary || e.Throttled != throttled || e.Code != code {
		t.Errorf("error %+v: want Temporary=%v Throttled=%v Code=%q", e, temporary, throttled, code)
	}
	return e
}

// serve starts handler and returns the server and a sender using it.
func serve(t *testing.T, handler http.Handler) (*httptest.Server, *Sender) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv, &Sender{HTTP: srv.Client(), Now: clock}
}

// closedURL is the address of a server that has stopped: connecting is
// refused.
func closedURL(t *testing.T, path string) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL + path
	srv.Close()
	return u
}

// decodeJSON reads a request body the way a vendor does: strictly, one
// object, unknown fields refused.
func decodeJSON(r *http.Request, v any) error {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if !utf8.Valid(b) {
		return errors.New("body is not UTF-8")
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// checkDelivery asserts the idempotency headers every HTTP request carries.
func checkDelivery(r *http.Request) string {
	if r.Method != http.MethodPost {
		return "method " + r.Method
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		return "Content-Type " + ct
	}
	// testKey here; the outbox's own keys in the dispatcher's tests.
	if k := r.Header.Get("Idempotency-Key"); !strings.HasPrefix(k, "ducha-delivery-") || r.Header.Get("X-Ducha-Delivery") != k {
		return "idempotency headers missing"
	}
	return ""
}
