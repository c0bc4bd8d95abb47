package web

import "time"

// The hooks of this file are for the tests of ducha/http, which build the
// whole server; nothing else calls them.

// SetListMissHook makes the list cache call f after each miss (nil: nothing).
// Set it before the server serves.
func SetListMissHook(s *Server, f func()) { s.lists.onMiss = f }

// SetUploadTimeout sets how long an upload route may take to receive its
// body, for a test; restore puts the default back.
func SetUploadTimeout(d time.Duration) (restore func()) {
	old := uploadTimeout
	uploadTimeout = d
	return func() { uploadTimeout = old }
}

// SetAttachmentWait sets how long an attachment upload waits for a slot,
// for a test; restore puts the default back.
func SetAttachmentWait(d time.Duration) (restore func()) {
	old := attachmentWait
	attachmentWait = d
	return func() { attachmentWait = old }
}

// MaxAttachmentUploads is how many attachment uploads a server holds at once.
const MaxAttachmentUploads = maxAttachmentUploads
