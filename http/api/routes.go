package api

import (
	"ducha"
	"ducha/http/web"
)

// registerRoutes registers the JSON API under /api/v1, each route with the
// permission it needs; the server calls it when it builds its routes.
func (s *handler) registerRoutes() {
	// JSON API: auth.
	s.Handle("POST /api/v1/login", web.PermPublic, s.handleAPILogin)
	s.Handle("POST /api/v1/logout", web.PermPublic, s.handleAPILogout)
	s.Handle("GET /api/v1/me", ducha.PermRead, s.handleAPIMe)
	s.Handle("POST /api/v1/me/password", ducha.PermRead, s.handleAPIPassword)
	s.Handle("GET /api/v1/me/tokens", ducha.PermRead, s.handleMyTokens)
	s.Handle("POST /api/v1/me/tokens", ducha.PermRead, s.handleMyTokenCreate)
	s.Handle("DELETE /api/v1/me/tokens/{id}", ducha.PermRead, s.handleMyTokenRevoke)
	s.Handle("GET /api/v1/openapi.json", web.PermPublic, s.handleOpenAPI)

	// JSON API: problems.
	s.Handle("GET /api/v1/problems", ducha.PermRead, s.handleProblemList)
	s.Handle("POST /api/v1/problems", ducha.PermRegister, s.handleProblemCreate)
	s.Handle("GET /api/v1/problems/{id}", ducha.PermRead, s.handleProblemGet)
	s.Handle("PATCH /api/v1/problems/{id}", ducha.PermRegister, s.handleProblemPatch)
	s.Handle("POST /api/v1/problems/{id}/actions/{action}", ducha.PermWork, s.handleProblemAction)
	s.Handle("GET /api/v1/problems/{id}/events", ducha.PermRead, s.handleProblemEvents)
	s.Handle("POST /api/v1/problems/{id}/attachments", ducha.PermWork, s.handleAttachmentUpload)
	s.Handle("GET /api/v1/attachments/{id}", ducha.PermRead, s.handleAttachmentGet)

	// JSON API: units and ledger files.
	s.Handle("GET /api/v1/units", ducha.PermRead, s.handleUnitList)
	s.Handle("GET /api/v1/exports/ledger.xlsx", ducha.PermExport, s.handleLedgerExport)
	s.Handle("POST /api/v1/imports/ledger", ducha.PermRegister, s.handleLedgerImport)

	// JSON API: complaint cases, their batches, the daily report and the
	// disclosure table. Case actions declare PermWork like problem actions;
	// the domain checks each action's own permission.
	s.Handle("GET /api/v1/cases", ducha.PermRead, s.handleCaseList)
	s.Handle("GET /api/v1/cases/{id}", ducha.PermRead, s.handleCaseGet)
	s.Handle("POST /api/v1/cases/{id}/actions/{action}", ducha.PermWork, s.handleCaseAction)
	s.Handle("GET /api/v1/cases/{id}/events", ducha.PermRead, s.handleCaseEvents)
	s.Handle("POST /api/v1/cases/{id}/proposals", ducha.PermRead, s.handleCaseProposals)
	s.Handle("POST /api/v1/cases/{id}/problems", ducha.PermRegister, s.handleCaseProblemCreate)
	// Supervision notices: the store scopes reads to the unit and decides
	// who may sign, answer and close (ducha.ApplyNoticeAction).
	s.Handle("GET /api/v1/notices", ducha.PermRead, s.handleNoticeList)
	s.Handle("POST /api/v1/notices", ducha.PermRegister, s.handleNoticeCreate)
	s.Handle("GET /api/v1/notices/{id}", ducha.PermRead, s.handleNoticeGet)
	s.Handle("GET /api/v1/notices/{id}/events", ducha.PermRead, s.handleNoticeEvents)
	s.Handle("POST /api/v1/notices/{id}/actions/{action}", ducha.PermWork, s.handleNoticeAction)
	// The inbox is the caller's own, scoped by the store; channels and
	// the outbox are administration.
	s.Handle("GET /api/v1/inbox", ducha.PermRead, s.handleInbox)
	s.Handle("GET /api/v1/channels", ducha.PermManage, s.handleChannelList)
	s.Handle("POST /api/v1/channels", ducha.PermManage, s.handleChannelCreate)
	s.Handle("PATCH /api/v1/channels/{id}", ducha.PermManage, s.handleChannelPatch)
	s.Handle("DELETE /api/v1/channels/{id}", ducha.PermManage, s.handleChannelDelete)
	s.Handle("POST /api/v1/channels/{id}/test", ducha.PermManage, s.handleChannelTest)
	s.Handle("GET /api/v1/outbox", ducha.PermManage, s.handleOutboxList)
	s.Handle("POST /api/v1/outbox/{id}/retry", ducha.PermManage, s.handleOutboxRetry)
	// Accountability (问责): discipline writes the records, everyone reads
	// them within their scope; the ranking is for the roles that read every
	// unit; the referral pack for discipline (the store also asks export).
	s.Handle("GET /api/v1/accountability", ducha.PermRead, s.handleAccountabilityList)
	s.Handle("POST /api/v1/accountability", ducha.PermAccountability, s.handleAccountabilityCreate)
	s.Handle("GET /api/v1/accountability/{id}", ducha.PermRead, s.handleAccountabilityGet)
	s.Handle("PATCH /api/v1/accountability/{id}", ducha.PermAccountability, s.handleAccountabilityPatch)
	s.Handle("GET /api/v1/accountability/{id}/events", ducha.PermRead, s.handleAccountabilityEvents)
	s.Handle("GET /api/v1/reports/discipline", ducha.PermOversee, s.handleDisciplineReport)
	s.Handle("GET /api/v1/exports/referral.xlsx", ducha.PermAccountability, s.handleReferralExport)
	s.Handle("GET /api/v1/batches", ducha.PermRead, s.handleBatchList)
	s.Handle("POST /api/v1/batches", ducha.PermRegister, s.handleBatchImport)
	s.Handle("GET /api/v1/reports/daily", ducha.PermRead, s.handleDailyReport)
	s.Handle("GET /api/v1/reports/daily.xlsx", ducha.PermRead, s.handleDailyReportXLSX)
	s.Handle("GET /api/v1/exports/disclosure.xlsx", ducha.PermExport, s.handleDisclosureExport)

	// JSON API: enterprises, with the cases and measures against them.
	s.Handle("GET /api/v1/enterprises", ducha.PermRead, s.handleEnterpriseList)
	s.Handle("GET /api/v1/enterprises/{id}", ducha.PermRead, s.handleEnterpriseGet)

	// JSON API: administration. Anyone logged in reads users (names appear
	// in histories; unit roles see their own unit's) and campaigns; only
	// the administrator changes accounts, units and campaigns.
	s.Handle("GET /api/v1/users", ducha.PermRead, s.handleUserList)
	s.Handle("POST /api/v1/users", ducha.PermManage, s.handleUserCreate)
	s.Handle("PATCH /api/v1/users/{id}", ducha.PermManage, s.handleUserPatch)
	s.Handle("POST /api/v1/units", ducha.PermManage, s.handleUnitCreate)
	s.Handle("PATCH /api/v1/units/{id}", ducha.PermManage, s.handleUnitPatch)
	s.Handle("GET /api/v1/campaigns", ducha.PermRead, s.handleCampaignList)
	s.Handle("GET /api/v1/campaigns/{id}", ducha.PermRead, s.handleCampaignGet)
	s.Handle("PATCH /api/v1/campaigns/{id}", ducha.PermManage, s.handleCampaignPatch)

	// Documents (文件库) and the document request list (调阅清单): every
	// role reads documents, the coordinator uploads them; requests are
	// scoped to the unit by the store, which decides who supplies, checks
	// and hands over (ducha.ApplyDocRequestAction).
	s.Handle("GET /api/v1/documents", ducha.PermRead, s.handleDocumentList)
	s.Handle("POST /api/v1/documents", ducha.PermRegister, s.handleDocumentUpload)
	s.Handle("GET /api/v1/documents/{id}", ducha.PermRead, s.handleDocumentGet)
	s.Handle("GET /api/v1/documents/{id}/original", ducha.PermRead, s.handleDocumentOriginal)
	s.Handle("GET /api/v1/requests", ducha.PermRead, s.handleRequestList)
	s.Handle("POST /api/v1/requests", ducha.PermRegister, s.handleRequestCreate)
	s.Handle("GET /api/v1/requests/{id}", ducha.PermRead, s.handleRequestGet)
	s.Handle("GET /api/v1/requests/{id}/events", ducha.PermRead, s.handleRequestEvents)
	s.Handle("GET /api/v1/requests/{id}/file", ducha.PermRead, s.handleRequestFile)
	s.Handle("POST /api/v1/requests/{id}/actions/{action}", ducha.PermWork, s.handleRequestAction)
	// Responsibility lists and self-inspections (自查自纠): everyone reads
	// within their scope; the coordinator imports the lists; a unit (or
	// the coordinator) starts, marks and submits, the domain checks whose
	// unit (ducha.CheckInspector); the county view is for the roles that
	// read every unit.
	s.Handle("GET /api/v1/duties", ducha.PermRead, s.handleDutyList)
	s.Handle("POST /api/v1/duties", ducha.PermRegister, s.handleDutyImport)
	s.Handle("GET /api/v1/inspections", ducha.PermRead, s.handleInspectionList)
	s.Handle("POST /api/v1/inspections", ducha.PermWork, s.handleInspectionStart)
	s.Handle("GET /api/v1/inspections/{id}", ducha.PermRead, s.handleInspectionGet)
	s.Handle("GET /api/v1/inspections/{id}/events", ducha.PermRead, s.handleInspectionEvents)
	s.Handle("POST /api/v1/inspections/{id}/items/{duty}", ducha.PermWork, s.handleInspectionItem)
	s.Handle("POST /api/v1/inspections/{id}/actions/submit", ducha.PermWork, s.handleInspectionSubmit)
	s.Handle("GET /api/v1/reports/inspections", ducha.PermOversee, s.handleInspectionReport)
	s.Handle("GET /api/v1/reports/dashboard", ducha.PermRead, s.handleDashboardJSON)
	// The public pages' JSON: the disclosure table and the notices before
	// 销号, masked as the pages print them; no login.
	s.Handle("GET /api/v1/disclosure", web.PermPublic, s.handleDisclosureJSON)
	s.Handle("GET /api/v1/public/closure", web.PermPublic, s.handleClosureNoticesJSON)
}
