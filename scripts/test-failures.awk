# Reads a `dotnet test` console log and prints each failed test (at most 20) with the first 8 lines of its error
# message and the first frame of its stack trace. Used by scripts/test.sh; tested by TestFailuresScriptTests.
# A test's line is "  Failed <name> [<duration>]", two spaces in: a test's own output, which could start with
# "Failed", is printed one space in.
/^  Failed .+ \[[^]]*\][[:space:]]*$/ {
  if (++tests > 20) { print "    ... more failed tests in the log"; exit }
  sub(/^[[:space:]]*/, "    "); print; mode = 0; next
}
tests == 0 { next }
/^[[:space:]]+Error Message:/ { mode = 1; lines = 0; next }
/^[[:space:]]+Stack Trace:/ { mode = 2; next }
/^[[:space:]]+Standard (Output|Error) Messages:/ || /^(Failed!|Passed!|Results File:|Total tests:)/ { mode = 0; next }
mode == 1 { sub(/^[[:space:]]*/, "      "); if (lines < 8) print; else if (lines == 8) print "      ..."; lines++; next }
mode == 2 && /^[[:space:]]+at / { sub(/^[[:space:]]*/, "      "); print; mode = 0 }
