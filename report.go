package ducha

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Batch is a numbered hand-over of cases from the inspection team.
type Batch struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"campaign_id,omitempty"`
	Number     int       `json:"number"`
	Date       Date      `json:"date"`
	FileName   string    `json:"file_name,omitempty"`
	Total      int       `json:"total"`
	Phone      int       `json:"phone"`
	Letter     int       `json:"letter"`
	Key        int       `json:"key"`
	Duplicates int       `json:"duplicates"`
	ImportedBy string    `json:"imported_by"`
	ImportedAt time.Time `json:"imported_at"`
}

// BatchRow is one case read from a batch file, with the row the user sees.
type BatchRow struct {
	Row  int
	Case *Case
}

// BatchDuplicate is a case handed over again: logged, not counted twice.
type BatchDuplicate struct {
	AcceptanceNo string `json:"acceptance_no"`
	Row          int    `json:"row"`
	CaseID       int64  `json:"case_id"`
	FirstBatch   int    `json:"first_batch"`
}

// BatchResult says what a batch import did. Unchanged is set when the same
// batch was imported before with the same cases: nothing was written.
type BatchResult struct {
	Batch      *Batch           `json:"batch"`
	Created    int              `json:"created"`
	Duplicates []BatchDuplicate `json:"duplicates"`
	Unchanged  bool             `json:"unchanged"`
}

// ReportCases are the case numbers of the daily report.
type ReportCases struct {
	Batches             int `json:"batches"`
	Total               int `json:"total"`
	Phone               int `json:"phone"`
	Letter              int `json:"letter"`
	Key                 int `json:"key"`
	Closed              int `json:"closed"`
	StageClosed         int `json:"stage_closed"`
	Open                int `json:"open"`
	Substantiated       int `json:"substantiated"`
	PartlySubstantiated int `json:"partly_substantiated"`
	Unsubstantiated     int `json:"unsubstantiated"`
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
	fmt.Fprintf(&b, "截至%d月%d日，累计收到督察组交办信访件%d批%d件（来电%d件、来信%d件，重点关注%d件），",
		t.Month(), t.Day(), c.Batches, c.Total, c.Phone, c.Letter, c.Key)
	fmt.Fprintf(&b, "已办结%d件、阶段性办结%d件、未办结%d件；经查属实%d件、部分属实%d件、不属实%d件；",
		c.Closed, c.StageClosed, c.Open, c.Substantiated, c.PartlySubstantiated, c.Unsubstantiated)
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
