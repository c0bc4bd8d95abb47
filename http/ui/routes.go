package ui

import (
	"ducha"
	"ducha/http/web"
)

// registerRoutes registers the pages, their forms and their assets, each
// with the permission it needs; the server calls it when it builds its
// routes, after the JSON API's.
func (s *handler) registerRoutes() {
	s.pages = parsePages()
	s.Handle("GET /login", web.PermPublic, s.handleLoginPage)
	s.Handle("POST /login", web.PermPublic, s.handleLoginSubmit)
	s.Handle("POST /logout", web.PermPublic, s.handleLogout)
	s.Handle("GET /static/style.css", web.PermPublic, s.handleCSS)
	s.Handle("GET "+web.PasswordPath, ducha.PermRead, s.handlePasswordPage)
	s.Handle("POST "+web.PasswordPath, ducha.PermRead, s.handlePasswordSubmit)
	s.Handle("GET /problems", ducha.PermRead, s.handleProblemsPage)
	s.Handle("POST /problems/bulk", ducha.PermRegister, s.handleProblemsBulk)
	s.Handle("GET /problems/import", ducha.PermRegister, s.handleLedgerImportPage)
	s.Handle("POST /problems/import", ducha.PermRegister, s.handleLedgerImportSubmit)
	s.Handle("GET /problems/new", ducha.PermRegister, s.handleProblemNewPage)
	s.Handle("POST /problems/new", ducha.PermRegister, s.handleProblemNewSubmit)
	s.Handle("GET /problems/{id}", ducha.PermRead, s.handleProblemPage)
	s.Handle("POST /problems/{id}/actions/{action}", ducha.PermWork, s.handleProblemActionSubmit)
	s.Handle("POST /problems/{id}/attachments", ducha.PermWork, s.handleAttachmentUploadPage)
	s.Handle("GET /cases", ducha.PermRead, s.handleCasesPage)
	s.Handle("GET /cases/{id}", ducha.PermRead, s.handleCasePage)
	s.Handle("POST /cases/{id}/actions/{action}", ducha.PermWork, s.handleCaseActionSubmit)
	s.Handle("POST /cases/{id}/problems", ducha.PermRegister, s.handleCaseProblemSubmit)
	s.Handle("GET /batches", ducha.PermRead, s.handleBatchesPage)
	s.Handle("POST /batches", ducha.PermRegister, s.handleBatchUpload)
	s.Handle("GET /reports/daily", ducha.PermRead, s.handleReportPage)
	s.Handle("GET /public/disclosure", web.PermPublic, s.handleDisclosurePage)
	s.Handle("GET /static/case.css", web.PermPublic, s.handleCaseCSS)
	s.Handle("GET /accountability", ducha.PermRead, s.handleAccountabilityPage)
	s.Handle("GET /accountability/new", ducha.PermAccountability, s.handleAccountabilityNewPage)
	s.Handle("POST /accountability/new", ducha.PermAccountability, s.handleAccountabilityNewSubmit)
	s.Handle("GET /accountability/{id}", ducha.PermRead, s.handleAccountabilityDetailPage)
	s.Handle("POST /accountability/{id}", ducha.PermAccountability, s.handleAccountabilityEditSubmit)
	s.Handle("GET /reports/discipline", ducha.PermOversee, s.handleDisciplinePage)
	s.Handle("GET /enterprises", ducha.PermRead, s.handleEnterprisesPage)
	s.Handle("GET /enterprises/{id}", ducha.PermRead, s.handleEnterprisePage)
	s.Handle("GET /admin", ducha.PermManage, s.handleAdminRoot)
	s.Handle("GET /admin/users", ducha.PermManage, s.handleAdminUsersPage)
	s.Handle("POST /admin/users", ducha.PermManage, s.handleAdminUserCreate)
	s.Handle("POST /admin/users/{id}", ducha.PermManage, s.handleAdminUserUpdate)
	s.Handle("POST /admin/users/{id}/disable", ducha.PermManage, s.handleAdminUserState(true))
	s.Handle("POST /admin/users/{id}/enable", ducha.PermManage, s.handleAdminUserState(false))
	s.Handle("POST /admin/users/{id}/password", ducha.PermManage, s.handleAdminUserReset)
	s.Handle("GET /admin/units", ducha.PermManage, s.handleAdminUnitsPage)
	s.Handle("POST /admin/units", ducha.PermManage, s.handleAdminUnitCreate)
	s.Handle("POST /admin/units/import", ducha.PermManage, s.handleAdminUnitsImport)
	s.Handle("POST /admin/units/{id}", ducha.PermManage, s.handleAdminUnitUpdate)
	s.Handle("GET /admin/campaigns", ducha.PermManage, s.handleAdminCampaignsPage)
	s.Handle("POST /admin/campaigns/{id}", ducha.PermManage, s.handleAdminCampaignUpdate)
	s.Handle("POST /admin/campaigns/{id}/rules", ducha.PermManage, s.handleAdminCampaignRules)
	// Supervision notices and the inbox: the store scopes them to the
	// unit and decides who may sign, answer and close. Channels and the
	// outbox are administration.
	s.Handle("GET /notices", ducha.PermRead, s.handleNoticesPage)
	s.Handle("POST /notices", ducha.PermRegister, s.handleNoticeIssueSubmit)
	s.Handle("GET /notices/export.xlsx", ducha.PermExport, s.handleNoticesExport) // the list's rows, as the case list's export
	s.Handle("GET /notices/{id}", ducha.PermRead, s.handleNoticePage)
	s.Handle("POST /notices/{id}/actions/{action}", ducha.PermWork, s.handleNoticeActionSubmit)
	s.Handle("GET /static/notice.css", web.PermPublic, s.handleNoticeCSS)
	s.Handle("GET /inbox", ducha.PermRead, s.handleInboxPage)
	s.Handle("GET /workbench", ducha.PermRead, s.handleWorkbenchPage)
	s.Handle("GET /admin/channels", ducha.PermManage, s.handleAdminChannelsPage)
	s.Handle("POST /admin/channels", ducha.PermManage, s.handleAdminChannelCreate)
	s.Handle("POST /admin/channels/{id}", ducha.PermManage, s.handleAdminChannelUpdate)
	s.Handle("POST /admin/channels/{id}/delete", ducha.PermManage, s.handleAdminChannelDelete)
	s.Handle("POST /admin/channels/{id}/test", ducha.PermManage, s.handleAdminChannelTest)
	s.Handle("GET /admin/outbox", ducha.PermManage, s.handleAdminOutboxPage)
	s.Handle("POST /admin/outbox/{id}/retry", ducha.PermManage, s.handleAdminOutboxRetry)

	// 一案一档: one problem's or case's archive (a zip), scoped as reading
	// the item; the permission is the ledger export's.
	s.Handle("GET /api/v1/problems/{id}/archive.zip", ducha.PermExport, s.handleProblemArchive)
	s.Handle("GET /api/v1/cases/{id}/archive.zip", ducha.PermExport, s.handleCaseArchive)

	// The public notice before 销号 (销号公示): no login, nothing but the
	// problems in notice, and of them only what the notice prints.
	s.Handle("GET /public/closure", web.PermPublic, s.handleClosureNoticesPage)
	s.Handle("GET /public/closure/{id}", web.PermPublic, s.handleClosureNoticePage)
	s.Handle("GET /public/closure/{id}/text", web.PermPublic, s.handleClosureNoticeText)
	s.Handle("GET /static/publicity.css", web.PermPublic, s.handlePublicityCSS)
	s.Handle("GET /documents", ducha.PermRead, s.handleDocumentsPage)
	s.Handle("POST /documents", ducha.PermRegister, s.handleDocumentUploadPage)
	s.Handle("GET /documents/{id}", ducha.PermRead, s.handleDocumentPage)
	s.Handle("GET /requests", ducha.PermRead, s.handleRequestsPage)
	s.Handle("POST /requests", ducha.PermRegister, s.handleRequestAddPage)
	s.Handle("POST /requests/{id}/actions/{action}", ducha.PermWork, s.handleRequestActionPage)
	s.Handle("GET /duties", ducha.PermRead, s.handleDutiesPage)
	s.Handle("POST /duties", ducha.PermRegister, s.handleDutiesUpload)
	s.Handle("GET /inspections", ducha.PermRead, s.handleInspectionsPage)
	s.Handle("POST /inspections", ducha.PermWork, s.handleInspectionStartSubmit)
	s.Handle("GET /inspections/{id}", ducha.PermRead, s.handleInspectionPage)
	s.Handle("POST /inspections/{id}/items/{duty}", ducha.PermWork, s.handleInspectionItemSubmit)
	s.Handle("POST /inspections/{id}/submit", ducha.PermWork, s.handleInspectionSubmitPage)
	s.Handle("GET /reports/inspections", ducha.PermOversee, s.handleInspectionReportPage)
	// The case list as a table: its export (what is filtered, scoped by
	// the store) and actions on a selection. Bulk assign and notices are
	// the coordinator's (register); publishing also asks verify, which
	// the handler checks; the store checks every case.
	s.Handle("GET /cases/export.xlsx", ducha.PermExport, s.handleCasesExport)
	s.Handle("POST /cases/bulk", ducha.PermRegister, s.handleCasesBulk)
	// The enterprise and document lists' exports, with the case list's
	// permission; each reads through its list's store call, so the store
	// scopes it as it scopes the list.
	s.Handle("GET /enterprises/export.xlsx", ducha.PermExport, s.handleEnterprisesExport)
	s.Handle("GET /documents/export.xlsx", ducha.PermExport, s.handleDocumentsExport)

	// The front end built by npm (make frontend), embedded; and the
	// dashboards (驾驶舱, 数据大屏): everyone reads them, the store scopes
	// their numbers as it scopes the daily report.
	s.Handle("GET /static/app.js", web.PermPublic, s.handleBundle("app.js"))
	s.Handle("GET /static/charts.js", web.PermPublic, s.handleBundle("charts.js"))
	s.Handle("GET /static/dashboard.css", web.PermPublic, s.handleDashboardCSS)
	s.Handle("GET /dashboard", ducha.PermRead, s.handleDashboardPage)
	s.Handle("GET /dashboard/screen", ducha.PermRead, s.handleDashboardScreen)

	// The forms' script: unit picker filter, image preview, proposed measures.
	s.Handle("GET /static/forms.js", web.PermPublic, s.handleFormsJS)
}
