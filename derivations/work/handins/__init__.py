"""Hand-ins as an LMS delivers them: one zip of every student's submission, read in
memory (never extracted), each student's write-ups checked, the results handed back in
the LMS's own formats by `lms.handins`."""
