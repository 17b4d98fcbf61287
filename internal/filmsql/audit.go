package filmsql

import (
	"strings"

	"marquee/internal/film"
)

// AuditLogQueries builds the statements that read the audit log in d's
// dialect: one counts the entries the filter selects (taking args), the
// other lists a page of them, newest first (taking args, the limit and the
// offset).
func AuditLogQueries(d Dialect, f film.AuditFilter) (count, page string, args []any) {
	var conds []string
	if f.RecordType != "" {
		conds = append(conds, "a.record_type = ?")
		args = append(args, f.RecordType)
	}
	if f.RecordID != 0 {
		conds = append(conds, "a.record_id = ?")
		args = append(args, f.RecordID)
	}
	if f.UserID != 0 {
		conds = append(conds, "a.user_id = ?")
		args = append(args, f.UserID)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	return d.Bind("SELECT count(*) FROM audit_log a" + where),
		d.Bind(`SELECT a.id, a.at, coalesce(a.user_id, 0), coalesce(u.name, ''), a.action,
				a.record_type, coalesce(a.record_id, 0), a.detail
			FROM audit_log a LEFT JOIN users u ON u.id = a.user_id` + where + `
			ORDER BY a.at DESC, a.id DESC ` + d.Limit() + ` OFFSET ?`),
		args
}
