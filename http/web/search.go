package web

import (
	"unicode/utf8"

	"ducha"
)

// MaxSearchLen is how many characters a list's search text (q=) may have:
// the ledger's, the cases', the notices', the enterprises', the documents'
// and their exports', on the pages and in the API alike. A search is a few words, a name or a number, and 100 characters
// hold the longest name a unit or an enterprise may have. Without a bound
// one request could make a page of megabytes, since every link of the list
// (the pager, the sorted columns, the export, select all) repeats the
// text, and make the store look for thousands of tokens at once (on
// PostgreSQL one EXISTS each).
const MaxSearchLen = 100

// CheckSearch refuses a search text longer than MaxSearchLen characters,
// naming q. ProblemFilter and CaseFilter call it, and the notice,
// enterprise and document lists where they read their query, so every list
// that searches is bounded in the one place it reads its query.
func CheckSearch(q string) error {
	if len(q) > MaxSearchLen && utf8.RuneCountInString(q) > MaxSearchLen {
		return ducha.FieldError("q", "搜索词过长，最多%d个字", MaxSearchLen)
	}
	return nil
}
