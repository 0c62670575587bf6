// Command caseboard is a terminal dashboard for a software vendor's support
// desk: case queues on SLA clocks, escalations and the TAM time bank.
package main

import (
	"os"

	"caseboard/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.StdIO()))
}
