// Our own Go programs of the peer benchmark (standard library only): the Go HTTPS floor and the
// open-loop load client. Built and cached by bench/peer/build.sh tools.
module credinject.local/benchpeer

go 1.22
