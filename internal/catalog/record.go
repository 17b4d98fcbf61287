package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Fields are one record (a film, a person) in the catalogue format as
// generic JSON values: objects are map[string]any, lists []any, numbers
// json.Number (their exact text), so a form can read and write a record by
// its catalogue paths ("budget.amount", "credits") without code per field.
type Fields = map[string]any

// RecordFields writes record in the catalogue format and reads it back as
// Fields.
func RecordFields(record any) (Fields, error) {
	data, err := json.Marshal(record)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var fields Fields
	if err := dec.Decode(&fields); err != nil {
		return nil, fmt.Errorf("decode record fields: %w", err)
	}
	return fields, nil
}

// DecodeFields reads Fields into record (a pointer) as the catalogue
// decoder reads a file: a key the record does not have is an error, so a
// form that names a path the format lacks is caught, not silently dropped.
// It does not validate: the record's own Validate does.
func DecodeFields(fields Fields, record any) error {
	data, err := json.Marshal(fields)
	if err != nil {
		return fmt.Errorf("encode record fields: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(record); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	return nil
}
