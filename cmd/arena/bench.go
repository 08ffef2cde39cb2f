package main

import (
	"context"
	"fmt"

	"github.com/arena-video/arena/models/synthetic"
)

// runBenchBattles writes synthetic votes for benchmarks and peer
// comparisons, so every ranking figure Arena publishes can be reproduced
// from a clone.
func runBenchBattles(_ context.Context, e env, args []string) error {
	var o synthetic.Options
	var seed uint
	fs := flagSet(e, "bench battles", "Writes synthetic votes in the public battle format (what `arena import votes` reads) to standard output:\n"+
		"battles between models with known Bradley-Terry strengths, 15% ties. The same flags give the same file.\n\n"+
		"  arena bench battles --models 100 --votes 1000000 --seed 1 > votes.jsonl")
	fs.IntVar(&o.Models, "models", 100, "how many models")
	fs.IntVar(&o.Votes, "votes", 1_000_000, "how many votes")
	fs.UintVar(&seed, "seed", 1, "random seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Models < 2 || o.Models > 1000 {
		return fmt.Errorf("--models must be from 2 to 1000, not %d", o.Models)
	}
	if o.Votes < 0 {
		return fmt.Errorf("--votes must be 0 or more, not %d", o.Votes)
	}
	o.Seed = uint64(seed)
	return synthetic.Write(e.stdout, o)
}
