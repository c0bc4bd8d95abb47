package ui

// listPager is the pager of a list page by number: this page, how many
// there are, and the links to the pages either side ("" at an end).
type listPager struct {
	PageNo, Pages    int
	PrevURL, NextURL string
}

// newListPager is the pager of page pageNo of total rows, perPage a page;
// url writes the link to page n with the list's filter.
func newListPager(total, pageNo, perPage int, url func(n int) string) listPager {
	p := listPager{PageNo: pageNo, Pages: max(1, (total+perPage-1)/perPage)}
	if pageNo > 1 {
		p.PrevURL = url(pageNo - 1)
	}
	if pageNo < p.Pages {
		p.NextURL = url(pageNo + 1)
	}
	return p
}
