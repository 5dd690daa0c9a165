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

; NULL tests. `@test.is_null` is true exactly when its subject is NULL,
; `@test.not_null` exactly when it is not. `!v` and a bare `v` in a condition
; are handled in Rust, because they compose with every other test.
(binary_expression
  left: (_) @test.subject
  operator: "=="
  right: [(null) (number_literal) @zero]
  (#eq? @zero "0")) @test.is_null
(binary_expression
  left: [(null) (number_literal) @zero]
  operator: "=="
  right: (_) @test.subject
  (#eq? @zero "0")) @test.is_null
(binary_expression
  left: (_) @test.subject
  operator: "!="
  right: [(null) (number_literal) @zero]
  (#eq? @zero "0")) @test.not_null
(binary_expression
  left: [(null) (number_literal) @zero]
  operator: "!="
  right: (_) @test.subject
  (#eq? @zero "0")) @test.not_null

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
