package http

// SetListMissHook makes the list cache call f after each miss (nil: nothing).
// Set it before the server serves.
func SetListMissHook(s *Server, f func()) { s.lists.onMiss = f }
