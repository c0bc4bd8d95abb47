package http

import "ducha/http/web"

// The test hooks of ducha/http/web, under the names the tests use.
var (
	SetListMissHook   = web.SetListMissHook
	SetUploadTimeout  = web.SetUploadTimeout
	SetAttachmentWait = web.SetAttachmentWait
)

// MaxAttachmentUploads is how many attachment uploads a server holds at once.
const MaxAttachmentUploads = web.MaxAttachmentUploads
