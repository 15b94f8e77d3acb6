@echo off
rem sandboxkit guest bootstrap, generated for one run: do not edit.
setlocal DisableDelayedExpansion
type nul > C:\Sandbox-Rendezvous\bootstrap.log
>> C:\Sandbox-Rendezvous\bootstrap.log echo sandboxkit bootstrap: starting the guest agent
C:\Sandbox-Java\bin\java.exe -XX:+UseSerialGC "-Dsandboxkit.note=a b^c" "-Dpath=C:\dir with space\\" -Xmx256m -jar "C:\Sandbox-Guest\sandboxkit guest & co (100%%).jar" --transport tcp --network block --rendezvous C:\Sandbox-Rendezvous >> C:\Sandbox-Rendezvous\bootstrap.log 2>&1
>> C:\Sandbox-Rendezvous\bootstrap.log echo sandboxkit bootstrap: the guest agent exited with code %ERRORLEVEL%
