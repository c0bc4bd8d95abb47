package web

// phoneMessagesEN are the English messages of the history timeline, the
// compact header and the accessibility helpers; they must have the same
// ids as phoneMessagesZH.
var phoneMessagesEN = map[string]string{
	"timeline.extension_granted":   "Extension granted to %s",
	"timeline.extension_refused":   "Extension refused",
	"timeline.extension_requested": "Extension requested to %s",
	"timeline.returned":            "Returned: %s",
	"a11y.skip":                    "Skip to content",
	"a11y.menu":                    "Menu",
}
