package ducha

import (
	"context"
	"time"
)

// Enterprise is the subject of cases and measures: one record per
// enterprise, so that repeat offenders show across batches and rounds.
type Enterprise struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	CreditCode string    `json:"credit_code,omitempty"`
	Address    string    `json:"address,omitempty"`
	Industry   string    `json:"industry,omitempty"`
	CreatedAt  time.Time `json:"created_at"`

	// Counts for lists: cases with measures against it, measures in force,
	// fines, and problems whose subject it is.
	Cases    int   `json:"cases"`
	Measures int   `json:"measures"`
	Fines    Money `json:"fines_yuan"`
	Problems int   `json:"problems"`
}

// EnterpriseRecord is an enterprise with everything against it that the
// user may see.
type EnterpriseRecord struct {
	Enterprise *Enterprise `json:"enterprise"`
	Cases      []*Case     `json:"cases"`
	Measures   []Measure   `json:"measures"`
	Problems   []*Problem  `json:"problems"`
}

// EnterpriseService finds enterprises and their records.
type EnterpriseService interface {
	// FindEnterprises lists enterprises whose name contains q (all when
	// empty), those with the most cases first.
	FindEnterprises(ctx context.Context, q string, limit int) ([]*Enterprise, error)
	// FilterEnterprises lists a page of the enterprises of a filter, in
	// its order, with the count of all that match.
	FilterEnterprises(ctx context.Context, f EnterpriseFilter) ([]*Enterprise, int, error)
	FindEnterpriseRecord(ctx context.Context, id int64) (*EnterpriseRecord, error)
	// OpenProblemFromCase registers a ledger problem for a substantiated
	// case and links the two both ways.
	OpenProblemFromCase(ctx context.Context, caseID int64, p *Problem) (*Problem, error)
}

// EnterpriseFilter selects enterprises for a list; zero fields select all,
// those with the most cases first.
type EnterpriseFilter struct {
	Q        string // in the name
	Industry string // one of Industries
	// Repeat keeps those complained about in two cases or more (多次被举报);
	// Fined those with a fine.
	Repeat, Fined bool
	// Sort is one of EnterpriseSorts, Desc its direction; ties by id.
	Sort   string
	Desc   bool
	Offset int
	Limit  int // 0: MaxPerPage
}

// EnterpriseSorts are the orders an enterprise list takes.
var EnterpriseSorts = []string{"name", "cases", "measures", "fines", "problems"}

// RepeatCases is how many cases make an enterprise a repeat offender.
const RepeatCases = 2
