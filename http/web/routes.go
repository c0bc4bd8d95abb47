package web

import (
	"net/http"
	"strings"

	"ducha"
)

// PermPublic marks a route anyone may call, logged in or not.
const PermPublic ducha.Permission = ""

// Route is one registered route: its method, its ServeMux path pattern and
// the permission it needs.
type Route struct {
	Method     string           `json:"method"`
	Path       string           `json:"path"`
	Permission ducha.Permission `json:"permission"`
}

// Routes lists every registered route, in registration order.
func (s *Server) Routes() []Route {
	s.Handler()
	return append([]Route(nil), s.routes...)
}

func (s *Server) registerRoutes() {
	// JSON API: auth.
	s.route("POST /api/v1/login", PermPublic, s.handleAPILogin)
	s.route("POST /api/v1/logout", PermPublic, s.handleAPILogout)
	s.route("GET /api/v1/me", ducha.PermRead, s.handleAPIMe)
	s.route("POST /api/v1/me/password", ducha.PermRead, s.handleAPIPassword)
	s.route("GET /api/v1/me/tokens", ducha.PermRead, s.handleMyTokens)
	s.route("POST /api/v1/me/tokens", ducha.PermRead, s.handleMyTokenCreate)
	s.route("DELETE /api/v1/me/tokens/{id}", ducha.PermRead, s.handleMyTokenRevoke)
	s.route("GET /api/v1/openapi.json", PermPublic, s.handleOpenAPI)

	// JSON API: problems.
	s.route("GET /api/v1/problems", ducha.PermRead, s.handleProblemList)
	s.route("POST /api/v1/problems", ducha.PermRegister, s.handleProblemCreate)
	s.route("GET /api/v1/problems/{id}", ducha.PermRead, s.handleProblemGet)
	s.route("PATCH /api/v1/problems/{id}", ducha.PermRegister, s.handleProblemPatch)
	s.route("POST /api/v1/problems/{id}/actions/{action}", ducha.PermWork, s.handleProblemAction)
	s.route("GET /api/v1/problems/{id}/events", ducha.PermRead, s.handleProblemEvents)
	s.route("POST /api/v1/problems/{id}/attachments", ducha.PermWork, s.handleAttachmentUpload)
	s.route("GET /api/v1/attachments/{id}", ducha.PermRead, s.handleAttachmentGet)

	// JSON API: units and ledger files.
	s.route("GET /api/v1/units", ducha.PermRead, s.handleUnitList)
	s.route("GET /api/v1/exports/ledger.xlsx", ducha.PermExport, s.handleLedgerExport)
	s.route("POST /api/v1/imports/ledger", ducha.PermRegister, s.handleLedgerImport)

	// JSON API: complaint cases, their batches, the daily report and the
	// disclosure table. Case actions declare PermWork like problem actions;
	// the domain checks each action's own permission.
	s.route("GET /api/v1/cases", ducha.PermRead, s.handleCaseList)
	s.route("GET /api/v1/cases/{id}", ducha.PermRead, s.handleCaseGet)
	s.route("POST /api/v1/cases/{id}/actions/{action}", ducha.PermWork, s.handleCaseAction)
	s.route("GET /api/v1/cases/{id}/events", ducha.PermRead, s.handleCaseEvents)
	s.route("POST /api/v1/cases/{id}/proposals", ducha.PermRead, s.handleCaseProposals)
	s.route("POST /api/v1/cases/{id}/problems", ducha.PermRegister, s.handleCaseProblemCreate)
	// Supervision notices: the store scopes reads to the unit and decides
	// who may sign, answer and close (ducha.ApplyNoticeAction).
	s.route("GET /api/v1/notices", ducha.PermRead, s.handleNoticeList)
	s.route("POST /api/v1/notices", ducha.PermRegister, s.handleNoticeCreate)
	s.route("GET /api/v1/notices/{id}", ducha.PermRead, s.handleNoticeGet)
	s.route("GET /api/v1/notices/{id}/events", ducha.PermRead, s.handleNoticeEvents)
	s.route("POST /api/v1/notices/{id}/actions/{action}", ducha.PermWork, s.handleNoticeAction)
	// The inbox is the caller's own, scoped by the store; channels and
	// the outbox are administration.
	s.route("GET /api/v1/inbox", ducha.PermRead, s.handleInbox)
	s.route("GET /api/v1/channels", ducha.PermManage, s.handleChannelList)
	s.route("POST /api/v1/channels", ducha.PermManage, s.handleChannelCreate)
	s.route("PATCH /api/v1/channels/{id}", ducha.PermManage, s.handleChannelPatch)
	s.route("DELETE /api/v1/channels/{id}", ducha.PermManage, s.handleChannelDelete)
	s.route("POST /api/v1/channels/{id}/test", ducha.PermManage, s.handleChannelTest)
	s.route("GET /api/v1/outbox", ducha.PermManage, s.handleOutboxList)
	s.route("POST /api/v1/outbox/{id}/retry", ducha.PermManage, s.handleOutboxRetry)
	// Accountability (问责): discipline writes the records, everyone reads
	// them within their scope; the ranking is for the roles that read every
	// unit; the referral pack for discipline (the store also asks export).
	s.route("GET /api/v1/accountability", ducha.PermRead, s.handleAccountabilityList)
	s.route("POST /api/v1/accountability", ducha.PermAccountability, s.handleAccountabilityCreate)
	s.route("GET /api/v1/accountability/{id}", ducha.PermRead, s.handleAccountabilityGet)
	s.route("PATCH /api/v1/accountability/{id}", ducha.PermAccountability, s.handleAccountabilityPatch)
	s.route("GET /api/v1/accountability/{id}/events", ducha.PermRead, s.handleAccountabilityEvents)
	s.route("GET /api/v1/reports/discipline", ducha.PermOversee, s.handleDisciplineReport)
	s.route("GET /api/v1/exports/referral.xlsx", ducha.PermAccountability, s.handleReferralExport)
	s.route("GET /api/v1/batches", ducha.PermRead, s.handleBatchList)
	s.route("POST /api/v1/batches", ducha.PermRegister, s.handleBatchImport)
	s.route("GET /api/v1/reports/daily", ducha.PermRead, s.handleDailyReport)
	s.route("GET /api/v1/reports/daily.xlsx", ducha.PermRead, s.handleDailyReportXLSX)
	s.route("GET /api/v1/exports/disclosure.xlsx", ducha.PermExport, s.handleDisclosureExport)

	// JSON API: enterprises, with the cases and measures against them.
	s.route("GET /api/v1/enterprises", ducha.PermRead, s.handleEnterpriseList)
	s.route("GET /api/v1/enterprises/{id}", ducha.PermRead, s.handleEnterpriseGet)

	// JSON API: administration. Anyone logged in reads users (names appear
	// in histories; unit roles see their own unit's) and campaigns; only
	// the administrator changes accounts, units and campaigns.
	s.route("GET /api/v1/users", ducha.PermRead, s.handleUserList)
	s.route("POST /api/v1/users", ducha.PermManage, s.handleUserCreate)
	s.route("PATCH /api/v1/users/{id}", ducha.PermManage, s.handleUserPatch)
	s.route("POST /api/v1/units", ducha.PermManage, s.handleUnitCreate)
	s.route("PATCH /api/v1/units/{id}", ducha.PermManage, s.handleUnitPatch)
	s.route("GET /api/v1/campaigns", ducha.PermRead, s.handleCampaignList)
	s.route("GET /api/v1/campaigns/{id}", ducha.PermRead, s.handleCampaignGet)
	s.route("PATCH /api/v1/campaigns/{id}", ducha.PermManage, s.handleCampaignPatch)

	// Pages.
	s.route("GET /{$}", PermPublic, s.handleRoot)
	s.route("GET /lang", PermPublic, s.handleLang)

	// Documents (文件库) and the document request list (调阅清单): every
	// role reads documents, the coordinator uploads them; requests are
	// scoped to the unit by the store, which decides who supplies, checks
	// and hands over (ducha.ApplyDocRequestAction).
	s.route("GET /api/v1/documents", ducha.PermRead, s.handleDocumentList)
	s.route("POST /api/v1/documents", ducha.PermRegister, s.handleDocumentUpload)
	s.route("GET /api/v1/documents/{id}", ducha.PermRead, s.handleDocumentGet)
	s.route("GET /api/v1/documents/{id}/original", ducha.PermRead, s.handleDocumentOriginal)
	s.route("GET /api/v1/requests", ducha.PermRead, s.handleRequestList)
	s.route("POST /api/v1/requests", ducha.PermRegister, s.handleRequestCreate)
	s.route("GET /api/v1/requests/{id}", ducha.PermRead, s.handleRequestGet)
	s.route("GET /api/v1/requests/{id}/events", ducha.PermRead, s.handleRequestEvents)
	s.route("GET /api/v1/requests/{id}/file", ducha.PermRead, s.handleRequestFile)
	s.route("POST /api/v1/requests/{id}/actions/{action}", ducha.PermWork, s.handleRequestAction)
	// Responsibility lists and self-inspections (自查自纠): everyone reads
	// within their scope; the coordinator imports the lists; a unit (or
	// the coordinator) starts, marks and submits, the domain checks whose
	// unit (ducha.CheckInspector); the county view is for the roles that
	// read every unit.
	s.route("GET /api/v1/duties", ducha.PermRead, s.handleDutyList)
	s.route("POST /api/v1/duties", ducha.PermRegister, s.handleDutyImport)
	s.route("GET /api/v1/inspections", ducha.PermRead, s.handleInspectionList)
	s.route("POST /api/v1/inspections", ducha.PermWork, s.handleInspectionStart)
	s.route("GET /api/v1/inspections/{id}", ducha.PermRead, s.handleInspectionGet)
	s.route("GET /api/v1/inspections/{id}/events", ducha.PermRead, s.handleInspectionEvents)
	s.route("POST /api/v1/inspections/{id}/items/{duty}", ducha.PermWork, s.handleInspectionItem)
	s.route("POST /api/v1/inspections/{id}/actions/submit", ducha.PermWork, s.handleInspectionSubmit)
	s.route("GET /api/v1/reports/inspections", ducha.PermOversee, s.handleInspectionReport)
	s.route("GET /api/v1/reports/dashboard", ducha.PermRead, s.handleDashboardJSON)

	// Anything else answers not found in the format of its path.
	s.route("/", PermPublic, s.handleNotFound)
}

// duringPasswordChange lists the routes a user who must change their
// password may still use: the form and the API call that change it, who
// they are, logging in and out, the language switch and the stylesheet.
// Every other route refuses them with EPASSWORDCHANGE, which pages turn
// into a redirect to the password form.
var duringPasswordChange = map[string]bool{
	"GET " + PasswordPath:           true,
	"POST " + PasswordPath:          true,
	"POST /api/v1/me/password":      true,
	"GET /api/v1/me":                true,
	"POST /api/v1/login":            true,
	"POST /api/v1/logout":           true,
	"GET /api/v1/openapi.json":      true,
	"GET /login":                    true,
	"POST /login":                   true,
	"POST /logout":                  true,
	"GET /lang":                     true,
	"GET /static/style.css":         true,
	"GET /static/case.css":          true,
	"GET /public/disclosure":        true,
	"GET /api/v1/disclosure":        true,
	"GET /public/closure":           true,
	"GET /public/closure/{id}":      true,
	"GET /public/closure/{id}/text": true,
	"GET /api/v1/public/closure":    true,
	"GET /static/publicity.css":     true,
	"GET /static/app.js":            true,
	"GET /static/forms.js":          true,
}

// HandlerFunc is a handler that returns its error to the one error handler.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle registers h under pattern behind the permission check, as the
// server's own routes are (see route); the pages register theirs with it
// from a function given to Mount.
func (s *Server) Handle(pattern string, perm ducha.Permission, h HandlerFunc) {
	s.route(pattern, perm, h)
}

// Mount adds routes to the server: register is called once, when the
// server builds its routes (on the first Handler call), after the JSON
// API's. The pages (package ducha/http/ui) are mounted this way, so that
// this package does not import them.
func (s *Server) Mount(register func()) {
	s.mounts = append(s.mounts, register)
}

// route registers h under pattern behind the permission check, and behind
// the password guard unless duringPasswordChange names it. Workflow
// actions declare PermWork, which every role that may act holds; the
// domain then checks the action's own permission (work or verify) against
// the problem's units.
func (s *Server) route(pattern string, perm ducha.Permission, h HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	s.routes = append(s.routes, Route{Method: method, Path: path, Permission: perm})
	exempt := duringPasswordChange[pattern]
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if u := ducha.UserFromContext(r.Context()); u != nil && u.MustChangePassword && !exempt {
			s.error(w, r, ducha.Errorf(EPASSWORDCHANGE, "请先修改一次性密码，再继续使用系统"))
			return
		}
		if perm != PermPublic {
			if _, err := ducha.Require(r.Context(), perm); err != nil {
				s.error(w, r, err)
				return
			}
		}
		if err := h(w, r); err != nil {
			s.error(w, r, err)
		}
	})
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return ducha.Errorf(ducha.ENOTFOUND, "页面不存在")
}

func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, LandingPath, http.StatusSeeOther)
	return nil
}
