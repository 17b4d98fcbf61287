package film

import "time"

// UserRole is what an account may do in the editors' desk.
type UserRole string

// The roles, from least to most trusted. Contributors write and submit
// reviews for approval; editors publish anyone's reviews, edit the
// catalogue and moderate; admins also manage accounts.
const (
	RoleContributor UserRole = "contributor"
	RoleEditor      UserRole = "editor"
	RoleAdmin       UserRole = "admin"
)

// Valid reports whether r is a known role.
func (r UserRole) Valid() bool {
	return r == RoleContributor || r == RoleEditor || r == RoleAdmin
}

// AtLeast reports whether r is as trusted as min or more.
func (r UserRole) AtLeast(min UserRole) bool {
	rank := map[UserRole]int{RoleContributor: 1, RoleEditor: 2, RoleAdmin: 3}
	return rank[r] >= rank[min] && rank[min] > 0
}

// User is an account of the editors' desk.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      UserRole
	Disabled  bool
	CreatedAt time.Time
}

// AuditEntry records who did what to which record, and when.
type AuditEntry struct {
	ID         int64
	At         time.Time
	UserID     int64 // 0 for the system or the command line
	UserName   string
	Action     string // e.g. "review.publish", "reader_review.approve", "user.disable"
	RecordType string // e.g. "critic_review", "film", "user"
	RecordID   int64
	Detail     string
}
