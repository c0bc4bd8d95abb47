package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server's backend (go-smtp): it keeps what it
// receives, asks for AUTH PLAIN when user is set, and answers recipients
// named nobody@ with 550 and busy@ with 451.
type mailbox struct {
	user, pass string

	mu  sync.Mutex
	got []received
}

type received struct {
	from, user string
	to         []string
	tls        bool
	data       []byte
}

func (b *mailbox) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &mailSession{box: b, tls: isTLS}, nil
}

type mailSession struct {
	box  *mailbox
	tls  bool
	user string
	from string
	to   []string
}

func (s *mailSession) AuthMechanisms() []string {
	if s.box.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *mailSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.box.user || password != s.box.pass {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.box.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch {
	case strings.HasPrefix(to, "nobody@"):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	case strings.HasPrefix(to, "busy@"):
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.got = append(s.box.got, received{from: s.from, user: s.user, to: s.to, tls: s.tls, data: data})
	return nil
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }

// mailServer serves box on 127.0.0.1:0 (or a TLS listener when implicit is
// set) and returns the SMTP settings that reach it.
func mailServer(t *testing.T, box *mailbox, tlsConf *tls.Config, implicit bool) SMTP {
	t.Helper()
	srv := smtp.NewServer(box)
	srv.Domain = "mail.test"
	srv.AllowInsecureAuth = true // PLAIN over the loopback without TLS
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var l net.Listener
	var err error
	if implicit {
		l, err = tls.Listen("tcp", "127.0.0.1:0", tlsConf)
	} else {
		srv.TLSConfig = tlsConf
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	port := l.Addr().(*net.TCPAddr).Port
	return SMTP{Host: "127.0.0.1", Port: port, From: "ducha@county.example.gov.cn", TLS: TLSNone, Timeout: 5 * time.Second}
}

// selfSigned makes a certificate for 127.0.0.1 and the pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "县政府邮件服务器"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

var recipients = []string{"zhang@county.example.gov.cn", "li@town.example.gov.cn"}

func emailChannel(to ...string) Channel { return Channel{Kind: Email, To: to} }

// checkMail parses one received message and asserts its envelope, headers
// and decoded body.
func checkMail(t *testing.T, got received, m Message, from string, to []string) {
	t.Helper()
	if got.from != from || strings.Join(got.to, ",") != strings.Join(to, ",") {
		t.Errorf("envelope from %q to %q, want %q to %q", got.from, got.to, from, to)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got.data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != m.Title {
		t.Errorf("subject %q (raw %q), want %q", subject, msg.Header.Get("Subject"), m.Title)
	}
	if id := msg.Header.Get("Message-Id"); id != "<"+m.Key+"@ducha>" {
		t.Errorf("Message-ID %q", id)
	}
	if d := msg.Header.Get("X-Ducha-Delivery"); d != m.Key {
		t.Errorf("X-Ducha-Delivery %q", d)
	}
	if date, err := msg.Header.Date(); err != nil || !date.Equal(testNow) {
		t.Errorf("Date %v %v, want the sender's clock", date, err)
	}
	if ct := msg.Header.Get("Content-Type"); !strings.Contains(strings.ToLower(ct), "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
		t.Errorf("Content-Type %q", ct)
	}
	var body []byte
	switch cte := msg.Header.Get("Content-Transfer-Encoding"); strings.ToLower(cte) {
	case "quoted-printable":
		body, err = io.ReadAll(quotedprintable.NewReader(msg.Body))
	default:
		t.Fatalf("Content-Transfer-Encoding %q", cte)
	}
	if err != nil {
		t.Fatal(err)
	}
	want := m.Text + "\n\n查看详情：" + m.Link + "\n"
	if got := strings.ReplaceAll(string(body), "\r\n", "\n"); got != want {
		t.Errorf("body %q, want %q", got, want)
	}
}

func TestEmailSend(t *testing.T) {
	box := &mailbox{}
	s := &Sender{SMTP: mailServer(t, box, nil, false), Now: clock}
	s.SMTP.From = "县督查督办系统 <ducha@county.example.gov.cn>"
	m := testMessage()
	if err := s.Send(context.Background(), emailChannel(recipients...), m); err != nil {
		t.Fatal(err)
	}
	if len(box.got) != 1 {
		t.Fatalf("server got %d messages", len(box.got))
	}
	checkMail(t, box.got[0], m, "ducha@county.example.gov.cn", recipients)
	msg, _ := mail.ReadMessage(bytes.NewReader(box.got[0].data))
	from, err := (&mail.AddressParser{WordDecoder: new(mime.WordDecoder)}).Parse(msg.Header.Get("From"))
	if err != nil || from.Name != "县督查督办系统" || from.Address != "ducha@county.example.gov.cn" {
		t.Errorf("From %q decodes to %v %v", msg.Header.Get("From"), from, err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Address != recipients[0] || to[1].Address != recipients[1] {
		t.Errorf("To %q decodes to %v %v", msg.Header.Get("To"), to, err)
	}
}

func TestEmailAuthPlain(t *testing.T) {
	const password = "pw-Zx9!secret-smtp"
	box := &mailbox{user: "ducha", pass: password}
	s := &Sender{SMTP: mailServer(t, box, nil, false), Now: clock}
	s.SMTP.Username, s.SMTP.Password = "ducha", password
	if err := s.Send(context.Background(), emailChannel(recipients[0]), testMessage()); err != nil {
		t.Fatal(err)
	}
	if len(box.got) != 1 || box.got[0].user != "ducha" {
		t.Fatalf("server got %+v, want one message from user ducha", box.got)
	}

	s.SMTP.Password = "wrong-" + password
	err := s.Send(context.Background(), emailChannel(recipients[0]), testMessage())
	wantClass(t, err, false, false, "smtp_535")
	noLeak(t, err, s.SMTP.Password, password)

	// Without credentials the server refuses MAIL FROM: final.
	s.SMTP.Username, s.SMTP.Password = "", ""
	wantClass(t, s.Send(context.Background(), emailChannel(recipients[0]), testMessage()), false, false, "smtp_502")
}

func TestEmailRecipientRefused(t *testing.T) {
	box := &mailbox{}
	s := &Sender{SMTP: mailServer(t, box, nil, false), Now: clock}
	wantClass(t, s.Send(context.Background(), emailChannel("nobody@county.example.gov.cn"), testMessage()), false, false, "smtp_550")
	wantClass(t, s.Send(context.Background(), emailChannel("busy@county.example.gov.cn"), testMessage()), true, false, "smtp_451")
	if len(box.got) != 0 {
		t.Errorf("server got %d messages", len(box.got))
	}
}

func TestEmailStartTLS(t *testing.T) {
	conf, pool := selfSigned(t)
	box := &mailbox{user: "ducha", pass: "pw"}
	s := &Sender{SMTP: mailServer(t, box, conf, false), Now: clock}
	s.SMTP.TLS, s.SMTP.RootCAs, s.SMTP.Username, s.SMTP.Password = TLSStartTLS, pool, "ducha", "pw"
	m := testMessage()
	if err := s.Send(context.Background(), emailChannel(recipients...), m); err != nil {
		t.Fatal(err)
	}
	if len(box.got) != 1 {
		t.Fatalf("server got %d messages", len(box.got))
	}
	checkMail(t, box.got[0], m, s.SMTP.From, recipients)

	// The same server, its certificate not trusted: final.
	s.SMTP.RootCAs = nil
	wantClass(t, s.Send(context.Background(), emailChannel(recipients...), m), false, false, CodeTLS)
}

func TestEmailImplicitTLS(t *testing.T) {
	conf, pool := selfSigned(t)
	box := &mailbox{user: "ducha", pass: "pw"}
	s := &Sender{SMTP: mailServer(t, box, conf, true), Now: clock}
	s.SMTP.TLS, s.SMTP.RootCAs, s.SMTP.Username, s.SMTP.Password = TLSImplicit, pool, "ducha", "pw"
	if err := s.Send(context.Background(), emailChannel(recipients[0]), testMessage()); err != nil {
		t.Fatal(err)
	}
	if len(box.got) != 1 || !box.got[0].tls {
		t.Fatalf("server got %+v, want one message over TLS", box.got)
	}
}

func TestEmailStartTLSUnavailable(t *testing.T) {
	s := &Sender{SMTP: mailServer(t, &mailbox{}, nil, false), Now: clock}
	s.SMTP.TLS = TLSStartTLS
	e := wantClass(t, s.Send(context.Background(), emailChannel(recipients[0]), testMessage()), false, false, CodeInvalid)
	if !strings.Contains(e.Msg, "STARTTLS") {
		t.Errorf("message %q does not say STARTTLS is missing", e.Msg)
	}
}

// PLAIN in clear goes only to the loopback names go-mail knows (localhost,
// 127.0.0.1, ::1): to any other host it is refused before the password is
// sent.
func TestEmailPlainRefusedInClear(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("127.0.0.2 is not a loopback address here:", err)
	}
	box := &mailbox{user: "ducha", pass: "pw-in-clear"}
	srv := smtp.NewServer(box)
	srv.AllowInsecureAuth = true
	go srv.Serve(l)
	defer srv.Close()
	s := &Sender{SMTP: SMTP{Host: "127.0.0.2", Port: l.Addr().(*net.TCPAddr).Port, From: "ducha@county.example.gov.cn",
		TLS: TLSNone, Username: "ducha", Password: "pw-in-clear", Timeout: 5 * time.Second}, Now: clock}
	err = s.Send(context.Background(), emailChannel(recipients[0]), testMessage())
	wantClass(t, err, false, false, CodeInvalid)
	noLeak(t, err, "pw-in-clear")
	if len(box.got) != 0 {
		t.Errorf("server got %d messages", len(box.got))
	}
}

func TestEmailRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Sender{SMTP: SMTP{Host: "127.0.0.1", Port: port, From: "ducha@county.example.gov.cn", TLS: TLSNone,
		Username: "ducha", Password: "pw-refused-77"}, Now: clock}
	err = s.Send(context.Background(), emailChannel(recipients[0]), testMessage())
	wantClass(t, err, true, false, CodeNetwork)
	noLeak(t, err, "pw-refused-77")
}

// A server that accepts and never greets: the caller's context ends the
// session long before SMTP.Timeout would.
func TestEmailContext(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	s := &Sender{SMTP: SMTP{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, From: "ducha@county.example.gov.cn",
		TLS: TLSNone, Timeout: time.Minute}, Now: clock}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, emailChannel(recipients[0]), testMessage())
	wantClass(t, err, true, false, CodeTimeout)
	if time.Since(start) > 30*time.Second {
		t.Errorf("Send took %v: the context was not watched", time.Since(start))
	}
}

func TestEmailSettings(t *testing.T) {
	good := SMTP{Host: "mail.example.gov.cn", From: "ducha@example.gov.cn"}
	tests := []struct {
		name string
		edit func(*SMTP)
		want string
	}{
		{"no host", func(c *SMTP) { c.Host = "" }, "邮件服务器：未配置主机"},
		{"bad from", func(c *SMTP) { c.From = "ducha" }, "邮件服务器：发件人「ducha」不是有效的邮箱地址"},
		{"bad tls", func(c *SMTP) { c.TLS = "ssl" }, "邮件服务器：加密方式"},
		{"bad port", func(c *SMTP) { c.Port = 70000 }, "邮件服务器：端口"},
	}
	for _, tt := range tests {
		c := good
		tt.edit(&c)
		s := &Sender{SMTP: c, Now: clock}
		e := wantClass(t, s.Send(context.Background(), emailChannel(recipients[0]), testMessage()), false, false, CodeInvalid)
		if !strings.HasPrefix(e.Msg, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, e.Msg, tt.want)
		}
	}
	for tlsMode, port := range map[string]int{"": 587, TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25} {
		c, err := smtpSettings(SMTP{Host: "h", From: "a@b.cn", TLS: tlsMode})
		if err != nil || c.Port != port || c.Timeout != defaultSMTPTimeout {
			t.Errorf("TLS %q: port %d timeout %v %v, want port %d", tlsMode, c.Port, c.Timeout, err, port)
		}
	}
}

// The classification of go-mail's errors that a test server cannot easily
// provoke.
func TestSMTPErrorClasses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		err       error
		temporary bool
		code      string
	}{
		{io.EOF, true, CodeNetwork},
		{fmt.Errorf("dial failed: %w", &textproto.Error{Code: 554, Msg: "no SMTP service here"}), false, "smtp_554"},
		{fmt.Errorf("dial failed: %w", &textproto.Error{Code: 421, Msg: "too many connections"}), true, "smtp_421"},
		{fmt.Errorf("dial failed: %w", net.ErrClosed), true, CodeNetwork},
		{errors.New("server does not support SMTP AUTH"), false, CodeInvalid},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true, CodeNetwork},
	}
	for _, tt := range tests {
		e := smtpError(ctx, "邮件", tt.err)
		if e.Temporary != tt.temporary || e.Code != tt.code {
			t.Errorf("%v: %+v, want temporary=%v code=%s", tt.err, e, tt.temporary, tt.code)
		}
	}
}
