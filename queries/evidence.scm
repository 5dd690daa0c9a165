; The vocabulary of evidence. Every capture here is keyed by the node of its
; subject (the expression naming the variable); Rust then resolves subjects to
; statics through scopes and aliases and relates evidence through control flow.

; Writes: `v = f()`, `*slot = f()`, `v += n`.
(assignment_expression
  left: (_) @write.target
  operator: _ @write.operator
  right: (_) @write.value) @write

; `v++`, `--v`: a cursor or counter, never a cache.
(update_expression argument: (_) @update.target)

; `&v`: initialisation through the address, or an alias `T **slot = &v`.
(pointer_expression operator: "&" argument: (_) @address.target) @address

; NULL tests (`v == NULL`, `0 != v`) are found in Rust (evidence.rs's
; collect_null_tests), not here: a pattern starting at a comparison waits for
; its operator below its left operand, and a chain of `&&` kept one such
; match per operator unfinished at every node beneath (the square of it).

; Releases: the object is dropped (OV102) or the memory freed.
(call_expression
  function: (identifier) @release.function
  arguments: (argument_list . (_) @release.target)
  (#match? @release.function "^(Py_CLEAR|Py_XDECREF|Py_DECREF|Py_DecRef|Py_XDecRef|Py_XSETREF|Py_SETREF|PyMem_Free|PyMem_RawFree|PyObject_Free|PyObject_GC_Del|free)$")) @release

; Function-like macros defined in the file. Rust reads which parameters the
; body assigns (`#define ASSIGN_PTR(result, expr) result = (expr); ...`), so a
; call `ASSIGN_PTR(v, f())` counts as a write of `v`.
(preproc_function_def
  name: (identifier) @macro.name
  parameters: (preproc_params) @macro.parameters
  value: (preproc_arg) @macro.body)
