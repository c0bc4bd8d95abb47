// Package web is the server plumbing that ducha's JSON API (ducha/http/api)
// and its pages (ducha/http/ui) share: the Server and its options, the
// middleware (sessions and tokens, cross-origin protection, security
// headers, compression, the access log, the login throttle), the route
// table with the permission every route declares (routes.go, Handle,
// Mount), the one error handler, the message catalogue, the list cache,
// and the form and query readers and service steps both sides use.
// Handlers return errors; the error handler turns them into a status code
// and a JSON answer, or the HTML page the pages install (HTMLError).
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"ducha"
	"ducha/excel"
)

// Server is the web server: UI pages and the JSON API under /api/v1.
// Set the fields, then call Open (or use Handler with httptest).
type Server struct {
	Problems    ducha.ProblemService
	Users       ducha.UserService
	Units       ducha.UnitService
	Campaigns   ducha.CampaignService
	Audit       ducha.AuditService
	Attachments ducha.AttachmentService
	// Cases are the complaint cases and their batches; Reports computes
	// the daily report. Nil answers their routes with 404.
	Cases   ducha.CaseService
	Reports ducha.ReportService
	// Enterprises are the enterprises cases and measures name, and the
	// step from a substantiated case to a ledger problem. Nil answers
	// their routes with 404.
	Enterprises ducha.EnterpriseService
	// Notices are the supervision notices (督办单). Nil answers their
	// routes with 404.
	Notices ducha.NoticeService
	// Outbox keeps the notification channels and their deliveries; Inbox
	// computes each user's to-dos. Nil answers their routes with 404.
	Outbox ducha.OutboxService
	Inbox  ducha.InboxService
	// Accountability keeps the accountability records (问责), the
	// discipline ranking and the referral pack. Nil answers their routes
	// with 404.
	Accountability ducha.AccountabilityService
	// Publicity reads the public notices before 销号 (销号公示). Nil
	// answers their routes with 404.
	Publicity ducha.ClosureNoticeService
	// Documents are the county's documents (文件库) and Requests the
	// document request list (调阅清单). Nil answers their routes with 404.
	Documents ducha.DocumentService
	Requests  ducha.DocRequestService
	// Duties keeps the responsibility lists (责任清单) and the units'
	// self-inspections (自查自纠). Nil answers their routes with 404.
	Duties ducha.DutyService
	// Dashboards computes the 驾驶舱 and 数据大屏 (the daily report and
	// its charts' data). Nil answers their routes with 404.
	Dashboards ducha.DashboardService

	// Now tells the time: "today" for overdue filters, session expiry and
	// the login throttle's window.
	Now ducha.Clock
	// YellowDays is the yellow-warning threshold shown in the ledger's
	// legend when the store does not say (a store with a YellowDays method
	// says, from the current campaign's rules); the store derives the
	// warnings themselves.
	YellowDays int

	// ExportLedger writes the problems of a ledger filter (all of them,
	// whatever its page) as xlsx; nil answers 404.
	ExportLedger func(ctx context.Context, f ducha.ProblemFilter, w io.Writer) error
	// ImportLedger reads a ledger file; nil answers 404.
	ImportLedger func(ctx context.Context, r io.Reader, filename string) (ducha.ImportResult, error)
	// ImportUnits reads a unit file (csv or xlsx) and stores its units, all
	// or none, as `ducha unit import` does; nil hides the import form.
	ImportUnits func(ctx context.Context, r io.Reader, filename string) (created, updated int, err error)
	// ImportLimits bound the files the import routes accept, the upload
	// itself included (MaxFileBytes); zero fields take excel.DefaultLimits.
	// ImportLedger applies its own, which should be the same.
	ImportLimits excel.Limits
	// ImportWait is how long an import waits for the one in progress
	// before answering 429; zero means 5 seconds. Imports run one at a
	// time, which bounds the memory they take together.
	ImportWait time.Duration

	// Addr is where Open listens, e.g. ":8080" or ":0".
	Addr string
	// SessionTTL is how long a login lasts.
	SessionTTL time.Duration
	// LoginLimit throttles password checks (logins, password changes).
	LoginLimit LoginLimit
	// Throttle keeps the login counters; nil uses Users, which the store
	// implements, so that every instance on one database counts together.
	Throttle ducha.LoginThrottle
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (see ParseTrustedProxies); from any
	// other peer those headers are ignored.
	TrustedProxies []netip.Prefix
	// Logger receives internal errors.
	Logger *slog.Logger
	// AccessLog, when set, gets one line per request (method, path, status,
	// time, user id; never the query, headers or body).
	AccessLog *slog.Logger
	// NoListCache turns the list cache off (for measuring the database path).
	NoListCache bool
	// Workers is how many requests that are not light work are served at
	// once (gate.go); zero takes DefaultWorkers, below zero turns the gate
	// off.
	Workers int
	// HTMLError answers a failed page request with an HTML page (the
	// pages set it when they are mounted, see ducha/http/ui); nil answers
	// with the error's text.
	HTMLError func(w http.ResponseWriter, r *http.Request, status int, d ErrorDetail)

	once    sync.Once
	mux     *http.ServeMux
	handler http.Handler
	routes  []Route
	mounts  []func() // the pages' routes (Mount)
	limiter *loginLimiter
	stamps  *tokenStamps
	lists   listCache
	imports chan struct{} // the one import slot

	ln  net.Listener
	srv *http.Server
}

// LoginLimit is how many failed password checks lock a key out for the
// rest of its window, counted in the store across instances, and how many
// hashes run at once. Zero limits count nothing; see DefaultLoginLimit.
type LoginLimit struct {
	// PerPair bounds the failures of one account from one client address.
	PerPair int
	// PerIP bounds the failures from one client address over all accounts.
	PerIP int
	// PerAccount bounds the failures of one account from all addresses;
	// past it an address that has not failed against the account still
	// gets one attempt per AccountTrickle (a slot of its own).
	PerAccount     int
	AccountTrickle time.Duration
	Window         time.Duration
	// MaxHashes password hashes run at once, server-wide; a check waits
	// up to HashWait for a slot, then answers 429.
	MaxHashes int
	HashWait  time.Duration
}

// NewServer returns a server with the defaults: port 8080, the system
// clock, three yellow days, 12-hour sessions, and DefaultLoginLimit. The
// address limit is higher than the pair's because a whole county office
// usually leaves through one address.
func NewServer() *Server {
	return &Server{
		Now:        time.Now,
		YellowDays: ducha.DefaultYellowDays,
		Addr:       ":8080",
		SessionTTL: 12 * time.Hour,
		LoginLimit: DefaultLoginLimit(),
		Logger:     slog.Default(),
		lists:      newListCache(),
	}
}

// Handler returns the server's root handler, built on first use.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.build)
	return s.handler
}

func (s *Server) build() {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.lists.slots == nil { // a Server made without NewServer
		s.lists = newListCache()
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.SessionTTL <= 0 {
		s.SessionTTL = 12 * time.Hour
	}
	s.limiter = newLoginLimiter(s.LoginLimit)
	s.stamps = newTokenStamps(s.Users, s.Logger)
	s.imports = make(chan struct{}, 1)
	s.mux = http.NewServeMux()
	s.registerRoutes()
	for _, register := range s.mounts {
		register()
	}

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, ducha.Errorf(ducha.EFORBIDDEN, "跨站请求已被拒绝"))
	}))
	protected := cop.Handler(s.mux)
	s.handler = compress(s.secureHeaders(s.authenticate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A browser cannot attach an Authorization header to a cross-site
		// form post, so requests carrying a valid token skip the check.
		if bearerToken(r) != "" {
			s.mux.ServeHTTP(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	}))))
	if s.Workers == 0 {
		s.Workers = DefaultWorkers()
	}
	if s.Workers > 0 {
		s.handler = gate(make(chan struct{}, s.Workers), make(chan struct{}, s.Workers), s.handler)
	}
	if s.AccessLog != nil {
		s.handler = accessLog(s.AccessLog, s.handler)
	}
}

// secureHeaders sets the headers every answer carries. Scripts come only
// from ducha itself (no inline script), may call only ducha, and a chosen
// photo may be previewed from the browser's own memory (blob:).
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// Open listens on Addr and serves in the background.
func (s *Server) Open() error {
	h := s.Handler()
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("http: listen %s: %w", s.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Logger.Error("http: serve", "err", err)
		}
	}()
	return nil
}

// Close stops accepting connections and waits up to 10 seconds for
// requests in flight to finish.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.stamps.wait()
	return err
}

// Port is the port Open listens on; 0 before Open.
func (s *Server) Port() int {
	if s.ln == nil {
		return 0
	}
	return s.ln.Addr().(*net.TCPAddr).Port
}

// URL is the base URL of the open server, e.g. http://localhost:8080.
func (s *Server) URL() string {
	host := "localhost"
	if h, _, err := net.SplitHostPort(s.Addr); err == nil && h != "" && h != "0.0.0.0" && h != "::" {
		host = h
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(s.Port()))
}

// today is the county's date at the server's now.
func (s *Server) Today() ducha.Date { return ducha.Today(s.Now()) }

// CurrentYellowDays is the yellow-warning threshold now: the store's, from the
// current campaign's rules, else the server's.
func (s *Server) CurrentYellowDays() int {
	if y, ok := s.Problems.(interface{ YellowDays() int }); ok {
		return y.YellowDays()
	}
	return s.YellowDays
}
