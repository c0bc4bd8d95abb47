package ui

import (
	"net/http"

	"ducha"
	"ducha/http/web"
)

// ledgerImportPage is the ledger import (导入台账): a file of SPEC section
// 4's columns, all rows or none, the result or the refused row shown.
type ledgerImportPage struct {
	page
	Result *ducha.ImportResult
	Error  string
}

func (s *handler) handleLedgerImportPage(w http.ResponseWriter, r *http.Request) error {
	if s.ImportLedger == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "本服务未启用台账导入")
	}
	return s.render(w, http.StatusOK, "ledger_import", &ledgerImportPage{page: s.newPage(w, r, "ledger_import.title")})
}

// handleLedgerImportSubmit imports the uploaded ledger; a refused file is
// shown with its message (the row and the reason), nothing stored.
func (s *handler) handleLedgerImportSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.ImportLedger == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "本服务未启用台账导入")
	}
	p := &ledgerImportPage{page: s.newPage(w, r, "ledger_import.title")}
	res, err := s.ImportLedgerUpload(w, r)
	switch code := ducha.ErrorCode(err); {
	case err == nil:
		p.Result = &res
		return s.render(w, http.StatusOK, "ledger_import", p)
	case code == ducha.EINVALID || code == ducha.ECONFLICT:
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, web.ErrorStatus(code), "ledger_import", p)
	}
	return err
}
