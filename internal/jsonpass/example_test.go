package jsonpass_test

import (
	"fmt"
	"os"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

func ExampleAppend() {
	sel := &jsonpass.Node{}
	sel.Child("Name").Whole = true
	out, err := jsonpass.Append(nil, []byte(`{"name": "Ada", "Secret": [1, 2]}`), jsonpass.Options{Select: sel})
	fmt.Println(string(out), err)
	// Output: {"name":"Ada","Secret":null} <nil>
}

func ExampleNew() {
	p := jsonpass.New(os.Stdout, jsonpass.Options{XMLRoot: "Person"})
	for _, piece := range []string{`{"Na`, `me":"Ada & `, `Bob","Age":3`, `6}`} {
		if _, err := p.Write([]byte(piece)); err != nil {
			fmt.Println(err)
		}
	}
	if err := p.Close(); err != nil {
		fmt.Println(err)
	}
	// Output: <?xml version="1.0" encoding="utf-8"?><Person xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Name>Ada &amp; Bob</Name><Age>36</Age></Person>
}
