package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ducha"
	"ducha/internal/pgtest"
	"ducha/store"
)

// instance is one `ducha serve` process of this test binary.
type instance struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
	mu   *sync.Mutex
}

var startedRe = regexp.MustCompile(`ducha 已启动：(http://[0-9.:]+)`)

// startInstance starts `ducha serve` on dsn in a process of its own and
// waits until it listens.
func startInstance(t *testing.T, dsn string, extra ...string) *instance {
	t.Helper()
	args := append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--access-log=false"}, extra...)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DUCHA_TEST_CHILD="+strings.Join(args, "\n"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, cmd: cmd, logs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	cmd.Stderr = lockedWriter{in.mu, in.logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.kill() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := startedRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case in.url = <-found:
	case <-time.After(60 * time.Second):
		t.Fatalf("instance did not start:\n%s", in.log())
	}
	return in
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (in *instance) log() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.logs.String()
}

// kill ends the process with SIGKILL: no clean shutdown of any kind.
func (in *instance) kill() {
	if in.cmd.ProcessState == nil {
		in.cmd.Process.Signal(syscall.SIGKILL)
		in.cmd.Wait()
	}
}

// client is a cookie-keeping HTTP client.
func client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

func call(t *testing.T, c *http.Client, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// login logs c in at base; it answers the status.
func login(t *testing.T, c *http.Client, base, user, password string) int {
	t.Helper()
	status, _ := call(t, c, "POST", base+"/api/v1/login", fmt.Sprintf(`{"username":%q,"password":%q}`, user, password))
	return status
}

// cookieOf copies c's cookies for from onto a client for to: the same
// browser talking to another instance behind one address.
func sameBrowser(c *http.Client, from, to string) *http.Client {
	o := client()
	fu, _ := http.NewRequest("GET", from, nil)
	tu, _ := http.NewRequest("GET", to, nil)
	o.Jar.SetCookies(tu.URL, c.Jar.Cookies(fu.URL))
	return o
}

// Two `ducha serve` processes on one PostgreSQL behave as one: a session
// made on one works on the other; an upload made on one is served by the
// other; the login throttle is shared; the escalation pass and the sender
// run once between them (every message reaches the receiver once); and an
// instance killed with SIGKILL in the middle of a write load loses no
// write it acknowledged.
func TestTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dsn, err := pgtest.Shared(t).CreateDB(t.Name())
	if err != nil {
		if !pgtest.Required() {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	// The county: a unit, a campaign, a coordinator and an overdue problem;
	// a webhook receiver that logs every delivery it is sent.
	var mu sync.Mutex
	received, events := map[string]int{}, map[string]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ Event string }
		json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		received[r.Header.Get("Idempotency-Key")]++
		events[m.Event]++
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	{
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.ImportUnits(ctx, []*ducha.Unit{{Name: "永清镇", Kind: ducha.UnitTownship}}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCampaign(ctx, &ducha.Campaign{Name: "第三轮督察", Start: "2026-01-01", End: "2027-12-31"}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, &ducha.User{Username: "coord", Role: ducha.RoleCoordinator}, "coord-password-1"); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateChannel(ctx, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "平台", URL: hook.URL + "/in"}); err != nil {
			t.Fatal(err)
		}
		coord, _ := db.FindUserByUsername(ctx, "coord")
		cc := ducha.NewContextWithUser(ctx, coord)
		for _, d := range []string{"扬尘", "污水", "垃圾"} {
			p := &ducha.Problem{Source: "自查发现", Description: "永清镇" + d, Area: "永清镇", Types: []string{"大气"}}
			if err := db.CreateProblem(cc, p); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ActOnProblem(cc, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version, LeadUnit: "永清镇",
				Person: "张三", Measures: "整治", Deadline: ducha.Today(time.Now()).AddDays(-2), ConfirmPastDeadline: true}); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
	}
	flags := []string{"--supervise-every", "300ms", "--send-every", "100ms"}
	a, b := startInstance(t, dsn, flags...), startInstance(t, dsn, flags...)

	// A session made on A works on B.
	ca := client()
	if s := login(t, ca, a.url, "coord", "coord-password-1"); s != 200 {
		t.Fatalf("login on A: %d", s)
	}
	cb := sameBrowser(ca, a.url, b.url)
	if s, body := call(t, cb, "GET", b.url+"/api/v1/me", ""); s != 200 || !strings.Contains(body, `"username":"coord"`) {
		t.Fatalf("A's session on B: %d %s", s, body)
	}

	// An upload made on A is served by B.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "现场照片.txt")
	fw.Write([]byte("整改前后对比"))
	mw.Close()
	req, _ := http.NewRequest("POST", a.url+"/api/v1/problems/1/attachments", &form)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := ca.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var att struct{ ID int64 }
	json.NewDecoder(resp.Body).Decode(&att)
	resp.Body.Close()
	if resp.StatusCode != 201 || att.ID == 0 {
		t.Fatalf("upload on A: %d", resp.StatusCode)
	}
	if s, body := call(t, cb, "GET", fmt.Sprintf("%s/api/v1/attachments/%d", b.url, att.ID), ""); s != 200 || body != "整改前后对比" {
		t.Fatalf("the upload from B: %d %q", s, body)
	}

	// The login throttle is shared: five failures for the pair on A lock
	// the right password out on B too.
	for range 5 {
		if s := login(t, client(), a.url, "coord", "wrong-password"); s != 401 {
			t.Fatalf("a wrong password on A: %d", s)
		}
	}
	if s := login(t, client(), b.url, "coord", "coord-password-1"); s != 429 {
		t.Fatalf("the right password on B after five failures on A: %d, want 429", s)
	}

	// The pass: three 催办, each once; the sender: each of the six messages
	// (three hand-overs, three notices; a digest outside the quiet hours)
	// reaches the receiver once, though both instances send every 100 ms.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(received)
		mu.Unlock()
		if n >= 6 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // both instances go on passing and sending meanwhile
	if s, body := call(t, cb, "GET", b.url+"/api/v1/notices", ""); s != 200 || !strings.Contains(body, `"total":3`) {
		t.Fatalf("notices: %d %s", s, body)
	}
	mu.Lock()
	// Outside the quiet hours the coordinator's digest comes too.
	if events["assigned"] != 3 || events["notice"] != 3 || events["digest"] > 1 || len(received) != 6+events["digest"] {
		t.Errorf("the receiver got %v: %v", events, received)
	}
	for key, n := range received {
		if n != 1 {
			t.Errorf("%s arrived %d times", key, n)
		}
	}
	mu.Unlock()

	// SIGKILL of A under a write load: every write A acknowledged is there.
	var (
		ackMu sync.Mutex
		acked []string
		wg    sync.WaitGroup
		stop  = make(chan struct{})
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := sameBrowser(ca, a.url, a.url)
			c.Jar = ca.Jar
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				desc := fmt.Sprintf("写入%d-%d", w, i)
				body := fmt.Sprintf(`{"source":"自查发现","description":%q,"area":"永清镇","types":["大气"]}`, desc)
				req, _ := http.NewRequest("POST", a.url+"/api/v1/problems", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := c.Do(req)
				if err != nil {
					return // A is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 201 {
					ackMu.Lock()
					acked = append(acked, desc)
					ackMu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	a.kill()
	close(stop)
	wg.Wait()
	if len(acked) < 10 {
		t.Fatalf("only %d writes acknowledged before the kill", len(acked))
	}
	a2 := startInstance(t, dsn, flags...)
	c2 := sameBrowser(ca, a.url, a2.url)
	for _, desc := range acked {
		s, body := call(t, c2, "GET", a2.url+"/api/v1/problems?q="+desc, "")
		if s != 200 || !strings.Contains(body, desc) {
			t.Fatalf("acknowledged write %s missing after the kill: %d %s", desc, s, body)
		}
	}
	t.Logf("%d acknowledged writes, all there after SIGKILL", len(acked))
}
