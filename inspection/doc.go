// Package inspection holds labelcheck's domain types: a case (one listing and
// its photos), the listing, what was read from each image, the canonical
// fields, the findings and the report written for a case. The JSON shape of
// Report is the contract of CONTRACT.md section 2; field names here are stable.
package inspection
