package ducha

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Batch is a numbered hand-over of cases from the inspection team.
type Batch struct {
	ID         int64 `json:"id"`
	CampaignID int64 `json:"campaign_id,omitempty"`
	Number     int   `json:"number"`
	Date       Date  `json:"date"`
	// WindowFrom and WindowTo are the intake window the batch covers, as
	// its title states it (2017年5月25日12时-5月26日12时); null when it
	// states none.
	WindowFrom *time.Time `json:"window_from"`
	WindowTo   *time.Time `json:"window_to"`
	FileName   string     `json:"file_name,omitempty"`
	// Total counts the batch's complaints once: duplicates are not in it.
	// The channel counts add up to Total.
	Total      int `json:"total"`
	Phone      int `json:"phone"`
	Letter     int `json:"letter"`
	WeChat     int `json:"wechat"`
	Online     int `json:"online"`
	Visit      int `json:"visit"`
	Other      int `json:"other"`
	Key        int `json:"key"`
	Duplicates int `json:"duplicates"`
	// AsKept is set for a table brought in with its results (SPEC section
	// 4): its cases stand in the report from the batch's date.
	AsKept     bool      `json:"as_kept"`
	ImportedBy string    `json:"imported_by"`
	ImportedAt time.Time `json:"imported_at"`
}

// CountChannel adds one case of the channel to the batch's counts.
func (b *Batch) CountChannel(channel string) {
	switch channel {
	case ChannelPhone:
		b.Phone++
	case ChannelLetter:
		b.Letter++
	case ChannelWeChat:
		b.WeChat++
	case ChannelOnline:
		b.Online++
	case ChannelVisit:
		b.Visit++
	default:
		b.Other++
	}
}

// BatchImport is one batch file as read, for CaseService.ImportCaseBatch.
type BatchImport struct {
	Number   int
	Date     Date
	FileName string
	// WindowFrom and WindowTo are the intake window, when the title says.
	WindowFrom, WindowTo *time.Time
	// AsKept marks a table that carries results: every case of it is
	// known from the batch's date, and each row's results stand from its
	// Results.Date, else ResultsAsOf (the table's 截至 date), else Date.
	AsKept      bool
	ResultsAsOf Date
	// ConfirmMeasures stores the measures proposed from the handling
	// texts (BatchRow.Proposals) that are complete; without it they are
	// only listed in the result.
	ConfirmMeasures bool
	Rows            []BatchRow
}

// BatchRow is one case read from a batch file, with the row the user sees.
type BatchRow struct {
	Row  int
	Case *Case
	// LinkKind (LinkDuplicate or LinkSupplement) is set when the row's own
	// column or note marks it a 重复件 or 补充办理件; LinkRefs are the
	// acceptance numbers its mark may name, most likely first, and
	// LinkNote the mark as written.
	LinkKind string
	LinkRefs []string
	LinkNote string
	// Results are what a table brought in with results says of the case;
	// nil for a plain hand-over.
	Results *CaseResults
	// Proposals are the measures the handling text reports, for
	// confirmation.
	Proposals []ProposedMeasure
}

// CaseResults are the results a batch table carries for one case; the
// case's Findings, Verdict, Target, Handling and Accountability hold the
// texts.
type CaseResults struct {
	// Status is what 是否办结 says: CaseClosed, CaseStageClosed,
	// CaseInvestigating for 未办结 (正在办理, 办理中), or "" when it says
	// nothing (then the case stands submitted when it has an answer).
	Status CaseStatus
	// Units are the 责任单位/承办单位 names as written.
	Units []string
	// Date is the row's 办结时间, when it has one.
	Date Date
}

// ProposedMeasure is a measure read from a handling text, for the user to
// confirm: Stored says whether the import stored it (--confirm-measures),
// Problem why not.
type ProposedMeasure struct {
	Measure
	Label    string `json:"label"`
	Evidence string `json:"evidence"`
	Stored   bool   `json:"stored"`
	Problem  string `json:"problem,omitempty"`
}

// BatchProposal lists the measures proposed for one case of a batch.
type BatchProposal struct {
	Row          int               `json:"row"`
	AcceptanceNo string            `json:"acceptance_no"`
	CaseID       int64             `json:"case_id"`
	Items        []ProposedMeasure `json:"items"`
}

// BatchDuplicate is a case handed over again: logged, not counted twice.
// Either the same acceptance number again (OwnCaseID 0), or a row marked
// 重复件 with a number of its own, kept as its own case (OwnCaseID) linked
// to the first.
type BatchDuplicate struct {
	AcceptanceNo string `json:"acceptance_no"`
	Row          int    `json:"row"`
	CaseID       int64  `json:"case_id"`
	FirstNo      string `json:"first_acceptance_no"`
	FirstBatch   int    `json:"first_batch"`
	OwnCaseID    int64  `json:"own_case_id,omitempty"`
}

// BatchSupplement is a 补充办理件: a case of its own that adds to an
// earlier one.
type BatchSupplement struct {
	AcceptanceNo string `json:"acceptance_no"`
	Row          int    `json:"row"`
	CaseID       int64  `json:"case_id"`
	ToCaseID     int64  `json:"to_case_id"`
	ToNo         string `json:"to_acceptance_no"`
}

// BatchNote is something the import did not do as the row asked, and why.
type BatchNote struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
}

// BatchResult says what a batch import did. Unchanged is set when the same
// batch was imported before with the same cases: nothing was written.
type BatchResult struct {
	Batch *Batch `json:"batch"`
	// Created counts the new complaints (Batch.Total); a 重复件 kept as
	// its own case is in Duplicates, not here.
	Created     int               `json:"created"`
	Duplicates  []BatchDuplicate  `json:"duplicates"`
	Supplements []BatchSupplement `json:"supplements"`
	// Proposals are the measures the handling texts report, per case.
	Proposals      []BatchProposal `json:"proposals"`
	MeasuresStored int             `json:"measures_stored"`
	Notes          []BatchNote     `json:"notes"`
	Unchanged      bool            `json:"unchanged"`
}

// ReportCases are the case numbers of the daily report. Each complaint
// counts once: Duplicates (重复件 received) are in none of the other
// numbers. WeChat, Online, Visit and Other are for the text only (SPEC's
// JSON names phone and letter).
type ReportCases struct {
	Batches                int `json:"batches"`
	Total                  int `json:"total"`
	Phone                  int `json:"phone"`
	Letter                 int `json:"letter"`
	WeChat                 int `json:"-"`
	Online                 int `json:"-"`
	Visit                  int `json:"-"`
	Other                  int `json:"-"`
	Key                    int `json:"key"`
	Closed                 int `json:"closed"`
	StageClosed            int `json:"stage_closed"`
	Open                   int `json:"open"`
	Duplicates             int `json:"duplicates"`
	Substantiated          int `json:"substantiated"`
	BasicallySubstantiated int `json:"basically_substantiated"`
	PartlySubstantiated    int `json:"partly_substantiated"`
	Unsubstantiated        int `json:"unsubstantiated"`
}

// channelCounts are the channels with their counts, in report order.
func (c ReportCases) channelCounts() []struct {
	name string
	n    int
} {
	return []struct {
		name string
		n    int
	}{{ChannelPhone, c.Phone}, {ChannelLetter, c.Letter}, {ChannelWeChat, c.WeChat}, {ChannelOnline, c.Online},
		{ChannelVisit, c.Visit}, {ChannelOther, c.Other}}
}

// ReportMeasures are the enforcement numbers: enterprises for the
// enterprise kinds, persons for the person kinds, cases for criminal cases.
type ReportMeasures struct {
	OrderedToRectify        int   `json:"ordered_to_rectify"`
	PenaltyCases            int   `json:"penalty_cases"`
	FinesYuan               Money `json:"fines_yuan"`
	CriminalCases           int   `json:"criminal_cases"`
	AdministrativeDetention int   `json:"administrative_detention"`
	CriminalDetention       int   `json:"criminal_detention"`
	Interviewed             int   `json:"interviewed"`
	HeldAccountable         int   `json:"held_accountable"`
	Suspended               int   `json:"suspended"`
	ClosedDown              int   `json:"closed_down"`
	ListedSupervision       int   `json:"listed_supervision"`
}

// ReportArea is one township's line.
type ReportArea struct {
	Area        string `json:"area"`
	Total       int    `json:"total"`
	Closed      int    `json:"closed"`
	StageClosed int    `json:"stage_closed"`
	Open        int    `json:"open"`
}

// ReportType is one pollution type's count; a case counts in each of its types.
type ReportType struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// ReportLedger is the rectification ledger's line of the report.
type ReportLedger struct {
	Total               int `json:"total"`
	Closed              int `json:"closed"`
	InProgress          int `json:"in_progress"`
	PendingVerification int `json:"pending_verification"`
	Overdue             int `json:"overdue"`
	// Publicity counts the problems in public notice (公示中), and
	// BehindSchedule those 未达到序时进度, at the end of the day.
	Publicity      int `json:"publicity"`
	BehindSchedule int `json:"behind_schedule"`
	// ByUnit is the same line per lead unit, in the order units are listed.
	ByUnit []ReportLedgerUnit `json:"by_unit"`
}

// ReportLedgerUnit is one lead unit's line of the rectification ledger.
type ReportLedgerUnit struct {
	Unit                string `json:"unit"`
	Total               int    `json:"total"`
	Closed              int    `json:"closed"`
	InProgress          int    `json:"in_progress"`
	PendingVerification int    `json:"pending_verification"`
	Overdue             int    `json:"overdue"`
}

// DailyReport is the 日报 of SPEC sections 4 and 6, as of the end of a day.
type DailyReport struct {
	AsOf     Date           `json:"as_of"`
	Cases    ReportCases    `json:"cases"`
	Measures ReportMeasures `json:"measures"`
	ByArea   []ReportArea   `json:"by_area"`
	ByType   []ReportType   `json:"by_type"`
	Ledger   ReportLedger   `json:"ledger"`
	Text     string         `json:"text"`
}

// ReportText writes the report's sentence in the usual form.
func ReportText(r *DailyReport) string {
	t := r.AsOf.Time()
	c, m := r.Cases, r.Measures
	var b strings.Builder
	// 来电 and 来信 are always written; when other channels came in, only
	// the channels with cases are.
	var channels []string
	others := c.WeChat+c.Online+c.Visit+c.Other > 0
	for _, ch := range c.channelCounts() {
		if ch.n > 0 || !others && (ch.name == ChannelPhone || ch.name == ChannelLetter) {
			channels = append(channels, fmt.Sprintf("%s%d件", ch.name, ch.n))
		}
	}
	dups := ""
	if c.Duplicates > 0 {
		dups = fmt.Sprintf("；重复件%d件", c.Duplicates)
	}
	fmt.Fprintf(&b, "截至%d月%d日，累计收到督察组交办信访件%d批%d件（%s，重点关注%d件%s），",
		t.Month(), t.Day(), c.Batches, c.Total, strings.Join(channels, "、"), c.Key, dups)
	basically := ""
	if c.BasicallySubstantiated > 0 {
		basically = fmt.Sprintf("、基本属实%d件", c.BasicallySubstantiated)
	}
	fmt.Fprintf(&b, "已办结%d件、阶段性办结%d件、未办结%d件；经查属实%d件%s、部分属实%d件、不属实%d件；",
		c.Closed, c.StageClosed, c.Open, c.Substantiated, basically, c.PartlySubstantiated, c.Unsubstantiated)
	fmt.Fprintf(&b, "责令整改%d家，立案处罚%d家，罚款%s元，立案侦查%d件，行政拘留%d人，刑事拘留%d人，约谈%d人，问责%d人",
		m.OrderedToRectify, m.PenaltyCases, m.FinesYuan, m.CriminalCases, m.AdministrativeDetention, m.CriminalDetention,
		m.Interviewed, m.HeldAccountable)
	for _, x := range []struct {
		n    int
		word string
	}{{m.Suspended, "停产整治%d家"}, {m.ClosedDown, "关停取缔%d家"}, {m.ListedSupervision, "挂牌督办%d家"}} {
		if x.n > 0 {
			fmt.Fprintf(&b, "，"+x.word, x.n)
		}
	}
	b.WriteString("。")
	return b.String()
}

// ReportService computes reports.
type ReportService interface {
	// DailyReport is the report as of the end of the day asOf.
	DailyReport(ctx context.Context, asOf Date) (*DailyReport, error)
}
