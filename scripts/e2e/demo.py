"""Show whether a sub-interpreter gets objects that the main interpreter
cached in a static variable (the bug oncevar fixes). Prints one JSON object.

array: the main interpreter calls array.array('i').__reduce_ex__(3), which
caches array._array_reconstructor in a static (Modules/arraymodule.c). A
sub-interpreter then does the same and sends back, through a channel, the id
of the object it got and whether it is its own module's function. The main
interpreter keeps its object alive meanwhile, so equal ids mean the very same
object.

strptime: datetime.datetime.strptime calls _strptime._strptime_datetime of a
module cached in a static (Modules/_datetimemodule.c). The sub-interpreter
wraps its own _strptime._strptime_datetime and checks that strptime called it.
"""
import array
import datetime
import json
import sys

import _xxsubinterpreters as interpreters

main_obj = array.array("i").__reduce_ex__(3)[0]  # fills the main's cache first
assert main_obj is array._array_reconstructor
datetime.datetime.strptime("2023", "%Y")

SUB = r'''
import array, datetime, json, sys, _strptime
import _xxsubinterpreters as interpreters

obj = array.array("i").__reduce_ex__(3)[0]
calls = []
wrapped = _strptime._strptime_datetime
def spy(*args):
    calls.append(args)
    return wrapped(*args)
_strptime._strptime_datetime = spy
datetime.datetime.strptime("2023", "%Y")
interpreters.channel_send(cid, json.dumps({
    "id": id(obj),
    "is_own": obj is array._array_reconstructor,
    "module_is_own": obj.__self__ is sys.modules["array"],
    "strptime_uses_own_module": bool(calls),
}))
'''

interp = interpreters.create()
cid = interpreters.channel_create()
interpreters.run_string(interp, SUB, shared={"cid": cid})
sub = json.loads(interpreters.channel_recv(cid))
interpreters.channel_destroy(cid)
interpreters.destroy(interp)

result = {
    "main_id": id(main_obj),
    "sub_id": sub["id"],
    "same_object": sub["id"] == id(main_obj),
    "sub_gets_own": sub["is_own"] and sub["module_is_own"],
    "strptime_uses_own_module": sub["strptime_uses_own_module"],
}
print(json.dumps(result))
