package http

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
	s.route("GET /api/v1/disclosure", PermPublic, s.handleDisclosureJSON)

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
	s.route("GET /login", PermPublic, s.handleLoginPage)
	s.route("POST /login", PermPublic, s.handleLoginSubmit)
	s.route("POST /logout", PermPublic, s.handleLogout)
	s.route("GET /lang", PermPublic, s.handleLang)
	s.route("GET /static/style.css", PermPublic, s.handleCSS)
	s.route("GET "+passwordPath, ducha.PermRead, s.handlePasswordPage)
	s.route("POST "+passwordPath, ducha.PermRead, s.handlePasswordSubmit)
	s.route("GET /problems", ducha.PermRead, s.handleProblemsPage)
	s.route("POST /problems/bulk", ducha.PermRegister, s.handleProblemsBulk)
	s.route("GET /problems/import", ducha.PermRegister, s.handleLedgerImportPage)
	s.route("POST /problems/import", ducha.PermRegister, s.handleLedgerImportSubmit)
	s.route("GET /problems/new", ducha.PermRegister, s.handleProblemNewPage)
	s.route("POST /problems/new", ducha.PermRegister, s.handleProblemNewSubmit)
	s.route("GET /problems/{id}", ducha.PermRead, s.handleProblemPage)
	s.route("POST /problems/{id}/actions/{action}", ducha.PermWork, s.handleProblemActionSubmit)
	s.route("POST /problems/{id}/attachments", ducha.PermWork, s.handleAttachmentUploadPage)
	s.route("GET /cases", ducha.PermRead, s.handleCasesPage)
	s.route("GET /cases/{id}", ducha.PermRead, s.handleCasePage)
	s.route("POST /cases/{id}/actions/{action}", ducha.PermWork, s.handleCaseActionSubmit)
	s.route("POST /cases/{id}/problems", ducha.PermRegister, s.handleCaseProblemSubmit)
	s.route("GET /batches", ducha.PermRead, s.handleBatchesPage)
	s.route("POST /batches", ducha.PermRegister, s.handleBatchUpload)
	s.route("GET /reports/daily", ducha.PermRead, s.handleReportPage)
	s.route("GET /public/disclosure", PermPublic, s.handleDisclosurePage)
	s.route("GET /static/case.css", PermPublic, s.handleCaseCSS)
	s.route("GET /accountability", ducha.PermRead, s.handleAccountabilityPage)
	s.route("GET /accountability/new", ducha.PermAccountability, s.handleAccountabilityNewPage)
	s.route("POST /accountability/new", ducha.PermAccountability, s.handleAccountabilityNewSubmit)
	s.route("GET /accountability/{id}", ducha.PermRead, s.handleAccountabilityDetailPage)
	s.route("POST /accountability/{id}", ducha.PermAccountability, s.handleAccountabilityEditSubmit)
	s.route("GET /reports/discipline", ducha.PermOversee, s.handleDisciplinePage)
	s.route("GET /enterprises", ducha.PermRead, s.handleEnterprisesPage)
	s.route("GET /enterprises/{id}", ducha.PermRead, s.handleEnterprisePage)
	s.route("GET /admin", ducha.PermManage, s.handleAdminRoot)
	s.route("GET /admin/users", ducha.PermManage, s.handleAdminUsersPage)
	s.route("POST /admin/users", ducha.PermManage, s.handleAdminUserCreate)
	s.route("POST /admin/users/{id}", ducha.PermManage, s.handleAdminUserUpdate)
	s.route("POST /admin/users/{id}/disable", ducha.PermManage, s.handleAdminUserState(true))
	s.route("POST /admin/users/{id}/enable", ducha.PermManage, s.handleAdminUserState(false))
	s.route("POST /admin/users/{id}/password", ducha.PermManage, s.handleAdminUserReset)
	s.route("GET /admin/units", ducha.PermManage, s.handleAdminUnitsPage)
	s.route("POST /admin/units", ducha.PermManage, s.handleAdminUnitCreate)
	s.route("POST /admin/units/import", ducha.PermManage, s.handleAdminUnitsImport)
	s.route("POST /admin/units/{id}", ducha.PermManage, s.handleAdminUnitUpdate)
	s.route("GET /admin/campaigns", ducha.PermManage, s.handleAdminCampaignsPage)
	s.route("POST /admin/campaigns/{id}", ducha.PermManage, s.handleAdminCampaignUpdate)
	s.route("POST /admin/campaigns/{id}/rules", ducha.PermManage, s.handleAdminCampaignRules)
	// Supervision notices and the inbox: the store scopes them to the
	// unit and decides who may sign, answer and close. Channels and the
	// outbox are administration.
	s.route("GET /notices", ducha.PermRead, s.handleNoticesPage)
	s.route("POST /notices", ducha.PermRegister, s.handleNoticeIssueSubmit)
	s.route("GET /notices/{id}", ducha.PermRead, s.handleNoticePage)
	s.route("POST /notices/{id}/actions/{action}", ducha.PermWork, s.handleNoticeActionSubmit)
	s.route("GET /static/notice.css", PermPublic, s.handleNoticeCSS)
	s.route("GET /inbox", ducha.PermRead, s.handleInboxPage)
	s.route("GET /workbench", ducha.PermRead, s.handleWorkbenchPage)
	s.route("GET /admin/channels", ducha.PermManage, s.handleAdminChannelsPage)
	s.route("POST /admin/channels", ducha.PermManage, s.handleAdminChannelCreate)
	s.route("POST /admin/channels/{id}", ducha.PermManage, s.handleAdminChannelUpdate)
	s.route("POST /admin/channels/{id}/delete", ducha.PermManage, s.handleAdminChannelDelete)
	s.route("POST /admin/channels/{id}/test", ducha.PermManage, s.handleAdminChannelTest)
	s.route("GET /admin/outbox", ducha.PermManage, s.handleAdminOutboxPage)
	s.route("POST /admin/outbox/{id}/retry", ducha.PermManage, s.handleAdminOutboxRetry)

	// 一案一档: one problem's or case's archive (a zip), scoped as reading
	// the item; the permission is the ledger export's.
	s.route("GET /api/v1/problems/{id}/archive.zip", ducha.PermExport, s.handleProblemArchive)
	s.route("GET /api/v1/cases/{id}/archive.zip", ducha.PermExport, s.handleCaseArchive)

	// The public notice before 销号 (销号公示): no login, nothing but the
	// problems in notice, and of them only what the notice prints.
	s.route("GET /public/closure", PermPublic, s.handleClosureNoticesPage)
	s.route("GET /public/closure/{id}", PermPublic, s.handleClosureNoticePage)
	s.route("GET /public/closure/{id}/text", PermPublic, s.handleClosureNoticeText)
	s.route("GET /api/v1/public/closure", PermPublic, s.handleClosureNoticesJSON)
	s.route("GET /static/publicity.css", PermPublic, s.handlePublicityCSS)
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
	s.route("GET /documents", ducha.PermRead, s.handleDocumentsPage)
	s.route("POST /documents", ducha.PermRegister, s.handleDocumentUploadPage)
	s.route("GET /documents/{id}", ducha.PermRead, s.handleDocumentPage)
	s.route("GET /requests", ducha.PermRead, s.handleRequestsPage)
	s.route("POST /requests", ducha.PermRegister, s.handleRequestAddPage)
	s.route("POST /requests/{id}/actions/{action}", ducha.PermWork, s.handleRequestActionPage)
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
	s.route("GET /duties", ducha.PermRead, s.handleDutiesPage)
	s.route("POST /duties", ducha.PermRegister, s.handleDutiesUpload)
	s.route("GET /inspections", ducha.PermRead, s.handleInspectionsPage)
	s.route("POST /inspections", ducha.PermWork, s.handleInspectionStartSubmit)
	s.route("GET /inspections/{id}", ducha.PermRead, s.handleInspectionPage)
	s.route("POST /inspections/{id}/items/{duty}", ducha.PermWork, s.handleInspectionItemSubmit)
	s.route("POST /inspections/{id}/submit", ducha.PermWork, s.handleInspectionSubmitPage)
	s.route("GET /reports/inspections", ducha.PermOversee, s.handleInspectionReportPage)
	// The case list as a table: its export (what is filtered, scoped by
	// the store) and actions on a selection. Bulk assign and notices are
	// the coordinator's (register); publishing also asks verify, which
	// the handler checks; the store checks every case.
	s.route("GET /cases/export.xlsx", ducha.PermExport, s.handleCasesExport)
	s.route("POST /cases/bulk", ducha.PermRegister, s.handleCasesBulk)

	// The front end built by npm (make frontend), embedded; and the
	// dashboards (驾驶舱, 数据大屏): everyone reads them, the store scopes
	// their numbers as it scopes the daily report.
	s.route("GET /static/app.js", PermPublic, s.handleBundle("app.js"))
	s.route("GET /static/charts.js", PermPublic, s.handleBundle("charts.js"))
	s.route("GET /static/dashboard.css", PermPublic, s.handleDashboardCSS)
	s.route("GET /api/v1/reports/dashboard", ducha.PermRead, s.handleDashboardJSON)
	s.route("GET /dashboard", ducha.PermRead, s.handleDashboardPage)
	s.route("GET /dashboard/screen", ducha.PermRead, s.handleDashboardScreen)

	// The forms' script: unit picker filter, image preview, proposed measures.
	s.route("GET /static/forms.js", PermPublic, s.handleFormsJS)

	// Anything else answers not found in the format of its path.
	s.route("/", PermPublic, s.handleNotFound)
}

// duringPasswordChange lists the routes a user who must change their
// password may still use: the form and the API call that change it, who
// they are, logging in and out, the language switch and the stylesheet.
// Every other route refuses them with EPASSWORDCHANGE, which pages turn
// into a redirect to the password form.
var duringPasswordChange = map[string]bool{
	"GET " + passwordPath:           true,
	"POST " + passwordPath:          true,
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
