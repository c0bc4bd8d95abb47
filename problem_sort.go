package ducha

import (
	"cmp"
	"slices"
)

// Sort keys of the ledger (ProblemFilter.Sort): the columns a list may be
// ordered by. The empty key is the list's own order, newest first, which
// pages by key; every other order breaks ties on the id, in the same
// direction, so that a page always holds the same problems.
const (
	SortCode     = "code"
	SortDesc     = "description"
	SortArea     = "area"
	SortLeadUnit = "lead_unit"
	SortDeadline = "deadline"
	SortStatus   = "status"
	SortWarning  = "warning"
	SortSource   = "source"
	SortMode     = "mode"
	SortPerson   = "person"
	SortPercent  = "progress_percent"
)

// ProblemSorts lists the sort keys the store knows.
var ProblemSorts = []string{SortCode, SortDesc, SortArea, SortLeadUnit, SortDeadline, SortStatus,
	SortWarning, SortSource, SortMode, SortPerson, SortPercent}

// MaxSortOffset bounds how many problems a page in an order other than the
// list's own may skip: such pages are found by offset, whose cost grows
// with it, and a sorted view deeper than this is better narrowed by a filter.
const MaxSortOffset = 10000

// StatusRank is a status's place in the workflow, which is how a list
// sorts statuses (待交办 first, 已销号 last).
func StatusRank(s ProblemStatus) int {
	if i := slices.Index(ProblemStatuses, s); i >= 0 {
		return i
	}
	return len(ProblemStatuses)
}

// WarningRank orders warnings by urgency: none 0, yellow 1, red 2.
func WarningRank(w Warning) int {
	switch w {
	case WarningRed:
		return 2
	case WarningYellow:
		return 1
	}
	return 0
}

// SortProblems orders derived problems (Derive) as the store orders a list
// by key, desc or not: strings by their bytes, statuses by the workflow,
// warnings by urgency, an empty deadline, lead unit or percentage last
// either way, ties by id in the same direction. An empty key leaves ps as
// it is.
func SortProblems(ps []*Problem, key string, desc bool) {
	if key == "" {
		return
	}
	slices.SortStableFunc(ps, func(a, b *Problem) int {
		if c, ok := compareProblems(a, b, key); ok {
			if desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		} else if c != 0 {
			return c // a missing value: last whatever the direction
		}
		if desc {
			return cmp.Compare(b.ID, a.ID)
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// compareProblems compares a and b by key; ok is false when one of them
// lacks the value, and c then puts the missing one last.
func compareProblems(a, b *Problem, key string) (c int, ok bool) {
	missing := func(x, y bool) (int, bool) {
		switch {
		case x && y:
			return 0, false
		case x:
			return 1, false
		case y:
			return -1, false
		}
		return 0, true
	}
	switch key {
	case SortCode:
		return cmp.Compare(a.Code, b.Code), true
	case SortDesc:
		return cmp.Compare(a.Description, b.Description), true
	case SortArea:
		return cmp.Compare(a.Area, b.Area), true
	case SortSource:
		return cmp.Compare(a.Source, b.Source), true
	case SortMode:
		return cmp.Compare(a.Mode, b.Mode), true
	case SortPerson:
		return cmp.Compare(a.Person, b.Person), true
	case SortStatus:
		return cmp.Compare(StatusRank(a.Status), StatusRank(b.Status)), true
	case SortWarning:
		return cmp.Compare(WarningRank(a.Warning), WarningRank(b.Warning)), true
	case SortLeadUnit:
		if c, ok := missing(a.LeadUnitID == 0, b.LeadUnitID == 0); !ok {
			return c, false
		}
		return cmp.Compare(a.LeadUnit, b.LeadUnit), true
	case SortDeadline:
		if c, ok := missing(!a.Deadline.Valid(), !b.Deadline.Valid()); !ok {
			return c, false
		}
		return cmp.Compare(a.Deadline, b.Deadline), true
	case SortPercent:
		if c, ok := missing(a.ProgressPercent == nil, b.ProgressPercent == nil); !ok {
			return c, false
		}
		return cmp.Compare(*a.ProgressPercent, *b.ProgressPercent), true
	}
	return 0, true
}
