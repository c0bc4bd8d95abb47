package ducha

import (
	"context"
	"strconv"
	"time"
)

// Dashboard is what the 驾驶舱 and the 数据大屏 show as of the end of a
// day: the daily report of that day, whose numbers the figure cards are,
// and what the charts add to it, counted from the same state tables.
type Dashboard struct {
	AsOf Date `json:"as_of"`
	// At is when the figures were computed: the screen shows it.
	At     time.Time    `json:"at"`
	Report *DailyReport `json:"report"`
	// ByUnit counts the cases by responsible unit (责任单位), in the
	// state each stood in at the end of the day; a case handed to several
	// units counts in each, so the lines may add up to more than the
	// total. Unit roles see their own unit's line only.
	ByUnit []DashboardUnit `json:"by_unit"`
	// Trend is the running count of cases received, closed and
	// stage-closed at the end of each day, from the first case's day (at
	// most TrendDays back) to AsOf: each day's numbers are that day's
	// daily report's.
	Trend []DashboardDay `json:"trend"`
}

// TrendDays bounds the dashboard's trend: a campaign's intake lasts about
// a month, the chart stays readable and cheap.
const TrendDays = 92

// DashboardUnit is one responsible unit's cases.
type DashboardUnit struct {
	Unit        string `json:"unit"`
	Total       int    `json:"total"`
	Closed      int    `json:"closed"`
	StageClosed int    `json:"stage_closed"`
	Open        int    `json:"open"`
}

// DashboardDay is the trend's line of one day: cases received by its end
// (Received is the report's cases.total), and of them closed and
// stage-closed then.
type DashboardDay struct {
	Date        Date `json:"date"`
	Received    int  `json:"received"`
	Closed      int  `json:"closed"`
	StageClosed int  `json:"stage_closed"`
}

// ClosedRate is the share of cases closed or stage-closed (办结率), to
// one decimal as offices write it (85.3%), rounded down; "—" with no case.
func ClosedRate(c ReportCases) string {
	if c.Total == 0 {
		return "—"
	}
	n := (c.Closed + c.StageClosed) * 1000 / c.Total
	return strconv.Itoa(n/10) + "." + strconv.Itoa(n%10) + "%"
}

// DashboardService computes the dashboard.
type DashboardService interface {
	// Dashboard is the dashboard as of the end of the day asOf (today
	// when asOf is empty), scoped as the daily report is.
	Dashboard(ctx context.Context, asOf Date) (*Dashboard, error)
}
