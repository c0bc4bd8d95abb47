package web

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"ducha"
	"ducha/excel"
)

// defaultImportWait is how long an import waits for the one in progress
// when Server.ImportWait is zero.
const defaultImportWait = 5 * time.Second

// importSlot takes the server's one import slot, waiting up to ImportWait
// for the import in progress; release gives the slot back. It is taken
// once the upload is received (receiveUpload: spooled to a temporary file,
// within uploadTimeout) and before the file is read into memory, so that a
// client sending slowly holds no slot while one file and its table are in
// memory at a time (excel.Limits bound each). Past the wait it answers 429
// with a Retry-After.
func (s *Server) importSlot(w http.ResponseWriter, r *http.Request) (release func(), err error) {
	wait := s.ImportWait
	if wait <= 0 {
		wait = defaultImportWait
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s.imports <- struct{}{}:
		return func() { <-s.imports }, nil
	case <-t.C:
	case <-r.Context().Done():
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(int(wait/time.Second), 1)))
	return nil, &ducha.Error{Code: ETOOMANY, Message: "另一个导入正在进行，请稍后再试"}
}

// ImportUpload takes the import slot for a received upload and reads its
// file; release gives the slot back once the import is done.
func (s *Server) ImportUpload(w http.ResponseWriter, r *http.Request, up *upload) (name string, data []byte, release func(), err error) {
	release, err = s.importSlot(w, r)
	if err != nil {
		up.file.Close()
		return "", nil, nil, err
	}
	if data, err = up.bytes(); err != nil {
		release()
		return "", nil, nil, err
	}
	return up.name, data, release, nil
}

// ImportFileLimit is the largest file the import routes accept.
func (s *Server) ImportFileLimit() int64 {
	if n := s.ImportLimits.MaxFileBytes; n > 0 {
		return n
	}
	return excel.DefaultLimits.MaxFileBytes
}

const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) ImportLedgerUpload(w http.ResponseWriter, r *http.Request) (ducha.ImportResult, error) {
	up, err := ReceiveUpload(w, r, s.ImportFileLimit())
	if err != nil {
		return ducha.ImportResult{}, err
	}
	name, data, release, err := s.ImportUpload(w, r, up)
	if err != nil {
		return ducha.ImportResult{}, err
	}
	defer release()
	return s.ImportLedger(r.Context(), bytes.NewReader(data), name)
}
