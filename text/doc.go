// Package text normalizes the Chinese text that ducha imports from Excel
// and CSV files and prepares it for storage, search and publication.
//
// Imported cells can be written in traditional characters, carry inline
// pinyin annotations such as 縣生態(tài)環(huán)境局, use full-width digits and
// letters, and spell dates in many ways. [Clean] turns every such cell into
// plain simplified Chinese; [ParseDeadline] and [ParseDate] read the date
// forms found in rectification ledgers; [Tokens], [QueryTokens], [Initials]
// and [SearchText] build the full-text search column, and [Names] finds the
// enterprises and places a complaint names for it; [SplitList] and
// [ParseTypes] read list cells and pollution types; [Mask] hides personal
// data in texts that are published.
//
// Traditional to simplified conversion uses github.com/longbridgeapp/opencc,
// whose dictionaries are embedded in the binary: no file is read at run time.
// Pinyin initials use github.com/mozillazg/go-pinyin, whose dictionary is
// compiled in as well.
package text
