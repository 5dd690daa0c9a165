; Candidate sites: every declarator of a `static` declaration, at file or
; block scope. One match per declarator, so `static PyObject *a, *b;` yields
; two. Rust keeps pointers (and pointer typedefs) and drops arrays, functions
; and function pointers, which a query cannot tell apart cheaply.
(declaration
  (storage_class_specifier) @storage
  declarator: (_) @declarator
  (#eq? @storage "static")) @declaration

; Pointer typedefs (`typedef PyObject *PyObjectPtr;`) make `static PyObjectPtr v;`
; a pointer declaration.
(type_definition
  type: (_) @typedef.type
  declarator: (pointer_declarator
    declarator: (type_identifier) @typedef.name))

; Struct types that are Python objects: their body starts with PyObject_HEAD
; (checked in Rust), so `static PyHamtNode_Bitmap *v` is an object pointer.
(type_definition
  type: (struct_specifier body: (field_declaration_list) @struct.body)
  declarator: (type_identifier) @struct.name)
(struct_specifier
  name: (type_identifier) @struct.name
  body: (field_declaration_list) @struct.body)

; Other names for a type (`typedef struct _ctx CtxObject;`, the struct's
; body maybe further down, or in another header): Rust skips the ones with a
; body, which the patterns above take.
(type_definition
  type: (_) @alias.type
  declarator: (type_identifier) @alias.name)

; Array types (`typedef PyObject *pair_t[2];`, `typedef obj_t row_t[4];`): a
; static of such a type is an array of their elements. Rust takes the
; declarator apart and keeps the ones with an array at the name.
(type_definition
  type: (_) @array.type
  declarator: [(array_declarator) (pointer_declarator)] @array.declarator)
