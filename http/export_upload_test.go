package http

import "time"

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
