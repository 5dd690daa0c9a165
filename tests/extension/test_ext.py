"""Functional tests of oncevar_ext, run before and after the rewrite.

ONCEVAR_EXPECT_SHARED=1 (before) or 0 (after) says whether a sub-interpreter
is expected to receive the main interpreter's cached object."""

import os
import sys
import unittest

import oncevar_ext as ext


class Caches(unittest.TestCase):
    def test_values(self):
        self.assertEqual(ext.hello(), "hello")
        self.assertEqual(ext.empty(), ())
        self.assertEqual(ext.json_module().__name__, "json")
        self.assertEqual(ext.dumps([1, 2]), "[1, 2]")
        self.assertEqual(ext.builtin_len([1, 2, 3]), 3)
        self.assertEqual(ext.big(), 1000000)
        self.assertEqual(ext.new_list(), [])
        self.assertIsInstance(ext.registry(), dict)
        self.assertIsNone(ext.exercise())

    def test_cached_objects_are_reused(self):
        for f in (ext.hello, ext.empty, ext.json_module, ext.big, ext.registry):
            self.assertIs(f(), f(), f.__name__)

    def test_state_is_not_a_cache(self):
        ext.remember("a")
        ext.remember("b")

    def test_sub_interpreter_sharing(self):
        import _xxsubinterpreters as interpreters

        main_id = id(ext.big())
        cid = interpreters.channel_create()
        interp = interpreters.create()
        try:
            interpreters.run_string(
                interp,
                "import _xxsubinterpreters as i, oncevar_ext\n"
                "i.channel_send(cid, id(oncevar_ext.big()))\n",
                shared={"cid": cid},
            )
            sub_id = interpreters.channel_recv(cid)
        finally:
            interpreters.destroy(interp)
        expect_shared = os.environ.get("ONCEVAR_EXPECT_SHARED", "1") == "1"
        print(f"main big() id {main_id:#x}, sub-interpreter big() id {sub_id:#x}",
              file=sys.stderr)
        if expect_shared:
            self.assertEqual(sub_id, main_id, "before the rewrite the cache is shared")
        else:
            self.assertNotEqual(sub_id, main_id, "after the rewrite each interpreter has its own")


if __name__ == "__main__":
    unittest.main()
