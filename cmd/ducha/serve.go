package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"time"

	"ducha"
	"ducha/excel"
	duchahttp "ducha/http"
	"ducha/http/web"
	"ducha/notify"
	"ducha/sheets"
	"ducha/store"
)

// Main is the running program: the store and the web server. Tests boot it
// on port 0 as the command does.
type Main struct {
	DB   *store.DB
	HTTP *duchahttp.Server
	// Out receives start-up messages (the first admin's password).
	Out io.Writer
	// Limits bound the files the server imports (--max-file-mb and the
	// other limit flags); zero fields take excel.DefaultLimits.
	Limits excel.Limits
	// TrustedProxies are the reverse proxies whose forwarding headers the
	// server believes (--trusted-proxy).
	TrustedProxies []netip.Prefix
	// AccessLog, when set, receives one line per request (--access-log).
	AccessLog *slog.Logger
	// SuperviseEvery is how often the escalation pass runs by itself
	// (--supervise-every); 0 runs none. Now tells its day (time.Now when nil).
	SuperviseEvery time.Duration
	Now            func() time.Time
	// SendEvery is how often the outbox is sent (--send-every); 0 sends
	// nothing. SMTP is the mail server of email channels, BaseURL the
	// address links in messages start with (--base-url).
	SendEvery time.Duration
	SMTP      notify.SMTP
	BaseURL   string
	// Workers is how many page and list requests are served at once (the
	// server's gate, --workers); zero takes web.DefaultWorkers.
	Workers int

	supervising *superviser
	sending     *notify.Dispatcher
}

// Open opens the store (migrating it), makes the first admin when there is
// no user yet, and starts listening on addr.
func (m *Main) Open(ctx context.Context, dsn, addr string) error {
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return fmt.Errorf("打开数据库 %s: %w", dsn, err)
	}
	m.DB = db
	if err := m.firstAdmin(ctx); err != nil {
		return err
	}
	s := duchahttp.NewServer()
	s.Addr = addr
	s.Workers = m.Workers
	s.ImportLimits = m.Limits
	s.TrustedProxies = m.TrustedProxies
	s.AccessLog = m.AccessLog
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments = db, db, db, db, db, db
	s.Cases, s.Reports, s.Enterprises, s.Notices, s.Outbox, s.Inbox, s.Accountability, s.Publicity = db, db, db, db, db, db, db, db
	s.Documents, s.Requests = db, db
	s.Duties = db
	s.Dashboards = db
	s.ExportLedger = func(ctx context.Context, f ducha.ProblemFilter, w io.Writer) error {
		return sheets.ExportProblems(ctx, db, f, w, sheets.LedgerTitle, sheets.LedgerOrg, ducha.Today(time.Now()))
	}
	s.ImportLedger = func(ctx context.Context, r io.Reader, filename string) (ducha.ImportResult, error) {
		rows, err := sheets.ReadLedger(r, filename, m.Limits.WithDone(ctx.Done()))
		if err != nil {
			return ducha.ImportResult{}, err
		}
		return db.ImportLedger(ctx, rows)
	}
	s.ImportUnits = func(ctx context.Context, r io.Reader, filename string) (int, int, error) {
		units, err := sheets.ReadUnits(r, filename, m.Limits.WithDone(ctx.Done()))
		if err != nil {
			return 0, 0, err
		}
		return db.ImportUnits(ctx, units)
	}
	m.HTTP = s
	if err := s.Open(); err != nil {
		return err
	}
	now := m.Now
	if now == nil {
		now = time.Now
	}
	m.supervising = startSupervising(db, m.SuperviseEvery, now, instanceID())
	if m.SendEvery > 0 {
		m.sending = &notify.Dispatcher{Outbox: db, Sender: &notify.Sender{SMTP: m.SMTP}, BaseURL: m.BaseURL, Now: now, Every: m.SendEvery}
		m.sending.Start(system(context.Background()))
	}
	return nil
}

// instanceID names this process to the leases of the store: the host,
// the process and a random part (a restarted process is another holder).
func instanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}

// firstAdmin creates the user "admin" with a random one-time password when
// the store has no users, and prints the password once.
func (m *Main) firstAdmin(ctx context.Context) error {
	ctx = system(ctx)
	if _, err := m.DB.FindUserByUsername(ctx, "admin"); err == nil {
		return nil
	}
	_, users, err := m.DB.FindUsers(ctx, ducha.UserFilter{Limit: 1})
	if err != nil || users > 0 {
		return err
	}
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	password := base64.RawURLEncoding.EncodeToString(b)
	if err := m.DB.CreateUser(ctx, &ducha.User{Username: "admin", DisplayName: "系统管理员", Role: ducha.RoleAdmin, MustChangePassword: true}, password); err != nil {
		return err
	}
	if m.Out != nil {
		fmt.Fprintf(m.Out, "已创建首个管理员：用户名 admin，一次性密码 %s（请登录后立即修改）\n", password)
	}
	return nil
}

// Close stops the server and closes the store.
func (m *Main) Close() error {
	m.supervising.Close() // before the store closes under a pass
	m.sending.Close()
	var err error
	if m.HTTP != nil {
		err = m.HTTP.Close()
	}
	if m.DB != nil {
		if e := m.DB.Close(); err == nil {
			err = e
		}
	}
	return err
}

func runServe(ctx context.Context, env Env, args []string) error {
	f := newFlags("serve", env)
	addr := f.String("addr", ":8080", "监听地址")
	limits := limitFlags(f)
	access := f.Bool("access-log", true, "每个请求写一行访问日志（方法、路径、状态、耗时、用户编号；不记查询参数）")
	every := f.Duration("supervise-every", 5*time.Minute, "每隔多久自动执行一次督办规则（0 为不自动执行；多个实例同时执行也只下发一次）")
	send := f.Duration("send-every", 10*time.Second, "每隔多久发送一次通知（0 为不发送；多个实例同时运行也只发送一次）")
	baseURL := f.String("base-url", os.Getenv("DUCHA_BASE_URL"), "消息中链接的网址前缀，如 https://ducha.example.gov.cn（默认取环境变量 DUCHA_BASE_URL）")
	smtpConf := smtpFlags(f)
	workers := f.Int("workers", 0, "同时处理的页面和列表请求数（0 为按处理器数自动设定；其余请求如查询本人、静态文件、写入不排队）")
	proxies := f.String("trusted-proxy", "", "可信的反向代理地址或网段，逗号分隔（如 127.0.0.1,10.0.0.0/8）：只信它们传来的 X-Forwarded-For 和 X-Forwarded-Proto")
	if _, err := f.parse(args); err != nil {
		return err
	}
	trusted, err := duchahttp.ParseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	lim, err := limits()
	if err != nil {
		return err
	}
	mail, err := smtpConf()
	if err != nil {
		return err
	}
	// The gate's slots are the processors the runtime found; the process
	// then runs a few more, for the light requests (web.AddSpareProcs).
	if *workers == 0 {
		*workers = web.DefaultWorkers()
	}
	if *workers > 0 {
		web.AddSpareProcs(*workers)
	}
	m := &Main{Out: env.Stdout, TrustedProxies: trusted, Limits: lim, SuperviseEvery: *every,
		SendEvery: *send, SMTP: mail, BaseURL: *baseURL, Workers: *workers}
	if *access {
		m.AccessLog = slog.New(slog.NewTextHandler(env.Stderr, nil))
	}
	if err := m.Open(ctx, *f.db, *addr); err != nil {
		m.Close()
		return err
	}
	slog.Info("ducha serving", "url", m.HTTP.URL(), "db", m.DB.Engine())
	fmt.Fprintf(env.Stdout, "ducha 已启动：%s（数据库：%s）\n", m.HTTP.URL(), redactDSN(*f.db))
	<-ctx.Done()
	return m.Close()
}

// smtpFlags are the mail server of the email channels: from flags, each
// defaulting to its environment variable; the password only from the
// environment (DUCHA_SMTP_PASSWORD), never from a flag anyone can read in
// the process list.
func smtpFlags(f *flags) func() (notify.SMTP, error) {
	env := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	host := f.String("smtp-host", env("DUCHA_SMTP_HOST", ""), "发送通知邮件的SMTP服务器（默认取 DUCHA_SMTP_HOST；密码只从 DUCHA_SMTP_PASSWORD 读取）")
	port := f.Int("smtp-port", 0, "SMTP端口（默认取 DUCHA_SMTP_PORT；0：tls 465，starttls 587，none 25）")
	user := f.String("smtp-user", env("DUCHA_SMTP_USER", ""), "SMTP用户名（默认取 DUCHA_SMTP_USER）")
	from := f.String("smtp-from", env("DUCHA_SMTP_FROM", ""), "发件人地址（默认取 DUCHA_SMTP_FROM）")
	tlsMode := f.String("smtp-tls", env("DUCHA_SMTP_TLS", "starttls"), "加密方式 starttls|tls|none（默认取 DUCHA_SMTP_TLS）")
	return func() (notify.SMTP, error) {
		p := *port
		if p == 0 {
			if v := os.Getenv("DUCHA_SMTP_PORT"); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil || n <= 0 || n > 65535 {
					return notify.SMTP{}, ducha.FieldError("smtp-port", "DUCHA_SMTP_PORT 应为端口号，收到“%s”", v)
				}
				p = n
			}
		}
		switch *tlsMode {
		case notify.TLSNone, notify.TLSStartTLS, notify.TLSImplicit:
		default:
			return notify.SMTP{}, ducha.FieldError("smtp-tls", "--smtp-tls 应为 starttls、tls 或 none，收到“%s”", *tlsMode)
		}
		return notify.SMTP{Host: *host, Port: p, Username: *user, Password: os.Getenv("DUCHA_SMTP_PASSWORD"), From: *from, TLS: *tlsMode}, nil
	}
}

// redactDSN is a database address fit to print: a PostgreSQL URL's
// password is replaced.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
