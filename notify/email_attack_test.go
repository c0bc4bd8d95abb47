package notify

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// A title carrying CR/LF (a title is made of a problem code or an
// acceptance number from an imported file, a notice number): no header of
// its own may come out of it, and no extra recipient. (Expected to hold:
// go-mail encodes the subject.)
func TestAttackEmailSubjectInjection(t *testing.T) {
	box := &mailbox{}
	s := &Sender{SMTP: mailServer(t, box, nil, false), Now: clock}
	m := testMessage()
	m.Title = "督办\r\nBcc: evil@attacker.example\r\nX-Evil: 1\r\n\r\nbody"
	err := s.Send(context.Background(), emailChannel("a@county.example.gov.cn"), m)
	if err != nil {
		t.Logf("refused: %v", err)
		return
	}
	got := box.got[0]
	if strings.Join(got.to, ",") != "a@county.example.gov.cn" {
		t.Errorf("envelope recipients %v", got.to)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got.data))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || msg.Header.Get("X-Evil") != "" {
		t.Errorf("injected headers: %v", msg.Header)
	}
	// A recipient with CR/LF is refused by Validate.
	if err := s.Send(context.Background(), emailChannel("a@x.example\r\nBcc: e@x.example"), testMessage()); err == nil {
		t.Errorf("a recipient with CR/LF was accepted")
	}
}

// An SMTP server that answers each line slowly but inside the per-step
// timeout (a tarpit): the whole attempt must stay within a few Timeouts,
// so that it ends well inside the sender's 2-minute lease. (Expected to
// hold: go-mail sets one connection deadline at dial and renews it once
// per message, so an attempt is bounded by about 2 × Timeout = 60 s.)
func TestAttackSMTPAttemptHasNoOverallBound(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	const step = 300 * time.Millisecond
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				say := func(s string) {
					time.Sleep(step * 4 / 10) // inside the per-step timeout
					fmt.Fprint(c, s+"\r\n")
				}
				say("220 tarpit.test ESMTP")
				inData := false
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if inData {
						if line == ".\r\n" {
							inData = false
							say("250 queued")
						}
						continue
					}
					switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						say("250 tarpit.test")
					case strings.HasPrefix(cmd, "DATA"):
						say("354 go on")
						inData = true
					case strings.HasPrefix(cmd, "QUIT"):
						say("221 bye")
						return
					default:
						say("250 ok")
					}
				}
			}(c)
		}
	}()
	s := &Sender{SMTP: SMTP{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, From: "ducha@county.example.gov.cn",
		TLS: TLSNone, Timeout: step}, Now: clock}
	to := []string{}
	for i := range 10 {
		to = append(to, fmt.Sprintf("u%d@county.example.gov.cn", i))
	}
	began := time.Now()
	err = s.Send(context.Background(), emailChannel(to...), testMessage())
	took := time.Since(began)
	t.Logf("attempt took %s (%d × the step timeout), err %v", took.Round(time.Millisecond), int(took/step), err)
	if took > 4*step {
		t.Errorf("one SMTP attempt took %s with a %s timeout: nothing bounds the whole attempt", took.Round(time.Millisecond), step)
	}
}

// A robot URL pointing inside the network (an admin's typo, or an admin
// account taken over): the first 200 bytes of whatever answers come back
// in the delivery's last_error, so "send a test message" + GET /outbox
// reads internal HTTP answers (e.g. a metadata service at
// 169.254.169.254, the server's own admin routes). Noted, admin-only.
func TestAttackInternalAnswerReadBackInLastError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`instance-id: i-0abc; iam/security-credentials/role: AKIAEXAMPLE`))
	}))
	t.Cleanup(srv.Close)
	s := &Sender{Now: clock}
	err := s.Send(context.Background(), Channel{Kind: WeCom, URL: srv.URL + "/latest/meta-data/?key=abcdefgh"}, testMessage())
	if err != nil && strings.Contains(err.Error(), "AKIAEXAMPLE") {
		t.Logf("NOTE (admin-only SSRF read-back): last_error would read %q", err.Error())
	}
}
